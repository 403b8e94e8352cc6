import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, vi } from 'vitest';
import { synthesize } from './helpers';

/** Every acknowledgement recorded in the tree: rule id, reason, where. */
function acknowledgements(root: IConstruct): { id: string; reason: string; path: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: c.node.path })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged, errors and warnings alike', () => {
    // Prepare
    const { app } = synthesize();

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} (${v.severity}) at ${r.constructPath}: ${v.description}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a real reason', () => {
    // Prepare
    const { app } = synthesize();

    // Act
    const acks = acknowledgements(app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges nothing that is not found: each acknowledgement hides a real finding', () => {
    // Prepare: the acknowledgements of the real app, and the findings of one built without any.
    const acks = acknowledgements(synthesize().app);
    const skip = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    let unacknowledged: { ruleName: string; path: string }[];
    try {
      const { app } = synthesize();

      // Act
      unacknowledged = new AwsSolutionsChecks(app)
        .validateScope(app)
        .violations.flatMap((v) => v.violatingResources.map((r) => ({ ruleName: v.ruleName, path: r.constructPath ?? '' })));
    } finally {
      skip.mockRestore();
    }

    // Assess
    for (const ack of acks) {
      const ruleName = ack.id.replace(/^annotation::/i, '');
      expect(
        unacknowledged.some((f) => f.ruleName === ruleName && f.path.startsWith(`${ack.path}/`)),
        `${ruleName} at ${ack.path} is acknowledged, but nothing there violates it`,
      ).toBe(true);
    }
  });
});
