import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditCliTarget } from '../../../cli/audit/audit-target';
import { runAuditCommand } from '../../../cli/commands/audit-commands';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, sendLogLine, type AuditWorld } from './audit-world';

describe('operator flow on the command line: import, declare, dry-run, approve, run', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  let target: AuditCliTarget;
  let logFile: string;
  const lines: string[] = [];
  const progress: string[] = [];
  const run = (...argv: string[]) =>
    runAuditCommand(argv, { stateFile: 'unused', audit: target, print: (l) => lines.push(l), out: { isTTY: false, write: (t) => progress.push(t) } });

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients, { approvalThreshold: 1 });
    target = { description: 'test stack', deps: world.deps, imports: world.imports, destroy: () => undefined };
    await world.putRegistry('reg-ann', 'cus-ann');
    await world.putCustomer('cus-ann', 'ann');
    await world.putCustomer('cus-bob', 'bob', 'de');
    logFile = path.join(mkdtempSync(path.join(tmpdir(), 'send-log-')), 'legacy.jsonl');
    writeFileSync(
      logFile,
      [
        sendLogLine({ sourceNoticeId: 'n-1', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-1' }),
        sendLogLine({ sourceNoticeId: 'n-2', recipientAddress: world.address('bob'), registryId: 'reg-ann', purchaseId: 'p-2' }),
        sendLogLine({ sourceNoticeId: 'n-3', recipientAddress: world.address('zoe'), registryId: 'reg-gone', purchaseId: 'p-3' }),
        sendLogLine({ sourceNoticeId: 'n-4', recipientAddress: 'broken', registryId: 'reg-ann', purchaseId: 'p-4' }),
      ].join('\n'),
    );
  });

  afterAll(() => clients.destroy());

  it('walks the operator through to exactly one apology per wrongly notified address', async () => {
    const mailbox = new Mailbox();

    // Act
    await run('import', logFile);
    await run('incident', 'declare', '--id', 'inc-cli', '--source', 'legacy-crm', '--description', 'legacy CRM blast');
    await run('incident', 'list');
    await run('campaign', 'dry-run', 'inc-cli');
    const sentAfterDryRun = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    const plan = (await world.deps.campaigns.get('inc-cli'))!.plannedAt;
    await run('campaign', 'approve', 'inc-cli', '--by', 'ops', '--plan', plan);
    await run('campaign', 'run', 'inc-cli');
    await run('campaign', 'run', 'inc-cli');
    await run('campaign', 'status', 'inc-cli');

    // Assess
    const out = lines.join('\n');
    expect(out).toContain('4 lines, 3 accepted, 0 already imported, 1 refused');
    expect(out).toContain('line 4: recipientAddress must be an email address');
    expect(out).toContain('would apologise to 2 address(es)');
    expect(out).toContain('Approved the campaign of inc-cli: 2 apologies, by ops');
    expect(out).toContain('Campaign of inc-cli complete: SENT 2.');
    expect(sentAfterDryRun).toHaveLength(0);
    expect(await mailbox.to(world.address('bob'))).toHaveLength(1);
    expect(await mailbox.to(world.address('zoe'))).toHaveLength(1);
    expect(await mailbox.to(world.address('ann'))).toHaveLength(0);
    expect(progress.at(-1)).toBe('2/2 apologies handled (100%) SENT 2\n');
  });

  it('explains what is wrong with a declaration', async () => {
    await expect(run('incident', 'declare', '--description', 'x', '--from', '2025-03-01T00:00:00Z')).rejects.toThrow(
      'window: give both --from and --to, or neither',
    );
  });
});
