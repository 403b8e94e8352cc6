import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIT_RUN_EVENT } from '../../../lambdas/audit/run/run-event';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { campaignProgress } from '../../../lambdas/audit/campaign/run-campaign';
import { type LocalStack, RestartableSes } from '@registry-notices/local-stack';
import { eventually } from '../../support/apology-drain';
import { Mailbox } from '../../support/mailbox';
import { settleAndResolveApologies } from '../../support/resolve-apologies';
import type { AuditWorld } from './audit-world';
import { startBundledAuditWorld, type BundledAuditWorld } from './bundled-audit-world';
import { EXPECTED_APOLOGIES, seedIncident } from './seed-incident';

// A short settle window: the local SES event destination publishes within a second.
const SETTLE_SECONDS = 2;
const EXTRA = 37;
const RECIPIENTS = Object.keys(EXPECTED_APOLOGIES).length + EXTRA;

/**
 * Issue 9's done-when, at a small scale: the stack's SES emulator (a real process) is killed
 * for 10 s in the middle of a campaign. The senders stop (the breaker opens and the apologies
 * go back on the queue, their claims released), the campaign completes once SES is back, and
 * what the kill cut mid-flight is settled by its SES event or resolved by an operator: one
 * apology each, in the emulator's store, and nothing left UNCERTAIN.
 */
describe('SES killed for 10 s in the middle of an apology campaign on the local stack', () => {
  let ses: RestartableSes;
  let local: LocalStack;
  let world: AuditWorld;
  let bundled: BundledAuditWorld | undefined;
  const senderLines: string[] = [];

  beforeAll(async () => {
    // Prepare: the stack's SES is one this test can kill; a visibility of 60 s (6 × 10 s) brings a failed record back soon.
    ses = await RestartableSes.start();
    bundled = await startBundledAuditWorld({
      prefix: 'sesout',
      endpoints: { ses: ses.url },
      context: { apologySenderTimeoutSeconds: 10, apologySenderMaxConcurrency: 2, apologyRateSharePercent: 100, uncertainSettleSeconds: SETTLE_SECONDS },
      functionLog: (id, line) => {
        if (id.includes('Sender')) senderLines.push(line);
      },
    });
    ({ local, world } = bundled);
  }, 180_000);

  afterAll(async () => {
    await bundled?.stop();
    await ses?.stop();
  });

  it('stops, completes on a later run, and after settle and resolve has sent one apology each and left none UNCERTAIN', async () => {
    // Prepare
    const incidentId = await seedIncident(world, EXTRA);
    const plan = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 100 });
    const mailbox = new Mailbox(ses.url);
    const ours = async () => (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    const auditFunction = [...local.functions.definitions.keys()].find((id) => id.includes('AuditFunction'))!;

    // Act: the audit run enqueues; SES dies once a quarter of the apologies are in, for 10 s.
    await local.functions.invoke(auditFunction, AUDIT_RUN_EVENT);
    await eventually(async () => (await ours()).length >= RECIPIENTS / 4, 60_000, 20);
    await ses.kill();
    await sleep(10_000);
    const duringOutage = await campaignProgress(incidentId, world.deps);
    await ses.restart();
    // A later run: the audit (scheduled every 5 minutes on AWS) finds the campaign settled and completes it.
    await eventually(async () => (await campaignProgress(incidentId, world.deps)).settled >= RECIPIENTS, 240_000, 1_000);
    await local.functions.invoke(auditFunction, AUDIT_RUN_EVENT);
    const later = await campaignProgress(incidentId, world.deps);
    const resolution = await settleAndResolveApologies(local, world.deps.campaigns, incidentId, { settleSeconds: SETTLE_SECONDS, toApologise: RECIPIENTS });

    // Assess
    const counts = await world.deps.campaigns.claimCounts(incidentId);
    const mail = await ours();
    const addresses = [...Object.keys(EXPECTED_APOLOGIES), ...Array.from({ length: EXTRA }, (_, i) => `x${i}`)].map((l) => world.address(l));
    expect(plan.summary.toApologise).toBe(RECIPIENTS);
    // The run stopped while SES was down: a send refused opens the breaker and puts the apology back; a quota read
    // refused fails the record before any claim, which SQS brings back after the visibility timeout.
    expect(senderLines.some((line) => line.includes('breaker open, put back') || line.includes('apology record will be retried'))).toBe(true);
    expect(duringOutage.state).toBe('APPROVED');
    expect(duringOutage.settled).toBeLessThan(RECIPIENTS);
    expect(later.state).toBe('COMPLETE');
    // One apology each, in the emulator's store; nobody in doubt at the end.
    for (const address of addresses) expect(mail.filter((m) => m.to.includes(address)), address).toHaveLength(1);
    expect(mail).toHaveLength(RECIPIENTS);
    expect(counts).toMatchObject({ SENT: RECIPIENTS });
    expect(counts.UNCERTAIN ?? 0).toBe(0);
    expect(resolution.outcomes.every((o) => o.result === 'QUEUED')).toBe(true);
    // A re-send went only where SES had nothing: its claim names the operator's approval.
    for (const { id } of resolution.outcomes) {
      const claim = await world.deps.campaigns.claimOf(incidentId, id.split('/')[1]!);
      expect(claim, id).toMatchObject({ state: 'SENT', resend: { state: 'SENT' } });
    }
  }, 600_000);
});
