import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_RUN_EVENT } from '../../../lambdas/audit/run-event';
import type { RunReport } from '../../../lambdas/audit/run-once';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { lambdaContextFactory } from '../../support/lambda-context';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';
import { EXPECTED_APOLOGIES, seedIncident } from './seed-incident';

describe('audit handler (Middy, Powertools) as the scheduler invokes it', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  const saved = { ...process.env };

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await seedIncident(world);
    const killSwitch = `/registry-notices/test-${world.domain}`;
    await clients.ssm.send(new PutParameterCommand({ Name: killSwitch, Value: 'false', Type: 'String', Overwrite: true }));
    Object.assign(process.env, world.env, {
      KILL_SWITCH_PARAMETER: killSwitch,
      APOLOGY_RATE_SHARE_PERCENT: '100',
      AUDIT_SAFETY_MARGIN_SECONDS: '2',
      POWERTOOLS_SERVICE_NAME: 'registry-notices',
      POWERTOOLS_METRICS_NAMESPACE: 'RegistryNotices',
    });
  });

  afterAll(() => {
    process.env = saved;
    clients.destroy();
  });

  it('audits, plans and sends the incident apologies once, logging no address', async () => {
    // Prepare
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    const writes = (['stdout', 'stderr'] as const).map((stream) =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      }),
    );
    const { handler } = await import('../../../lambdas/audit/handler');

    // Act
    let first: RunReport;
    let second: RunReport;
    try {
      first = (await handler(AUDIT_RUN_EVENT, lambdaContextFactory('audit', 60_000))) as RunReport;
      second = (await handler(AUDIT_RUN_EVENT, lambdaContextFactory('audit', 60_000))) as RunReport;
    } finally {
      for (const spy of [...spies, ...writes]) spy.mockRestore();
    }

    // Assess
    expect(first.campaigns[0]).toMatchObject({ sent: 3, complete: true });
    expect(first.audit.wrongByReason).toEqual({ NOT_A_PARTICIPANT: 4, NOT_THE_OWNER: 1, REGISTRY_CLOSED: 1, DUPLICATE: 1 });
    expect(second.campaigns).toEqual([]);
    const mailbox = new Mailbox();
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailbox.to(world.address(local))).toHaveLength(1);
    const output = logged.join('\n');
    expect(output).toContain('ApologySent');
    expect(output).toContain('WrongNoticeFound');
    expect(output).not.toContain(world.domain);
  });
});
