import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RUN_EVENT } from '../../../lambdas/audit/run/run-event';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { campaignProgress } from '../../../lambdas/audit/campaign/run-campaign';
import { settledCount } from '../../../lambdas/audit/campaign/enqueue-apologies';
import { addressHash } from '../../../lambdas/directory/address-hash';
import type { LocalStack } from '@registry-notices/local-stack';
import { eventually } from '../../support/apology-drain';
import { Mailbox } from '../../support/mailbox';
import { RESOLVING_OPERATOR, settleAndResolveApologies } from '../../support/resolve-apologies';
import type { AuditWorld } from './audit-world';
import { startBundledAuditWorld, type BundledAuditWorld } from './bundled-audit-world';
import { EXPECTED_APOLOGIES, seedIncident } from './seed-incident';

/**
 * The done-when of the fan-out (issue 10): the sender function's execution environments are
 * killed mid-campaign (twice) on the local stack, and the campaign resumes by itself (SQS
 * redelivers the killed batches); what a killed invocation held is UNCERTAIN (`SENDER_DIED`),
 * then settled by its SES event if the mail went, or resolved by an operator and re-sent
 * once if not: nobody is lost, nobody is mailed twice.
 */
// A short settle window: the local SES event destination publishes within a second.
const SETTLE_SECONDS = 2;

describe('killing the apology sender mid-campaign on the local stack', () => {
  let local: LocalStack;
  let world: AuditWorld;
  let bundled: BundledAuditWorld | undefined;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    // Prepare: a short sender timeout, so a killed batch comes back within a minute (visibility 6 × 10 s).
    bundled = await startBundledAuditWorld({
      prefix: 'crash',
      context: { apologySenderTimeoutSeconds: 10, apologySenderMaxConcurrency: 2, apologyRateSharePercent: 100, uncertainSettleSeconds: SETTLE_SECONDS },
    });
    ({ local, world } = bundled);
  }, 180_000);

  afterAll(() => bundled?.stop());

  it('loses nobody and mails nobody twice, once what is in doubt is settled by SES events or resolved', async () => {
    // Prepare: 3 + 60 apologies at 14/s.
    const incidentId = await seedIncident(world, 60);
    const plan = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 100 });
    const functionId = (part: string): string => [...local.functions.definitions.keys()].find((id) => id.includes(part))!;
    const settled = async (): Promise<number> => settledCount(await world.deps.campaigns.claimCounts(incidentId));

    // Act: the audit enqueues; the engine's sender sends; its running environments are killed twice on the way.
    await local.functions.invoke(functionId('AuditFunction'), AUDIT_RUN_EVENT);
    let killed = 0;
    for (const after of [12, 30]) {
      // Every 200 ms (a look is 33 reads of the audit table): the kill lands within three sends of
      // `after`, still mid-campaign; every 50 ms this file made 3,200 of DynamoDB Local's reads.
      await eventually(async () => (await settled()) >= after, 60_000, 200);
      killed += local.functions.crashRunning(functionId('SenderFunction'));
    }
    await eventually(async () => (await campaignProgress(incidentId, { ...world.deps })).state === 'COMPLETE', 150_000, 1_000);

    // Assess
    const counts = await world.deps.campaigns.claimCounts(incidentId);
    const addresses = [...Object.keys(EXPECTED_APOLOGIES), ...Array.from({ length: 60 }, (_, i) => `x${i}`)].map((l) => world.address(l));
    const mail = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    const mailsTo = (address: string): number => mail.filter((m) => m.to.includes(address)).length;
    expect(plan.summary.toApologise).toBe(63);
    expect(killed).toBeGreaterThan(0);
    // Nobody lost: every planned address is settled.
    expect(settledCount(counts)).toBe(63);
    expect((counts.SENT ?? 0) + (counts.UNCERTAIN ?? 0)).toBe(63);
    // Nobody twice; every SENT one got exactly one.
    for (const address of addresses) expect(mailsTo(address), address).toBeLessThanOrEqual(1);
    for (const address of addresses) {
      const claim = await world.deps.campaigns.claimOf(incidentId, addressHash(address));
      if (claim?.state === 'SENT') expect(mailsTo(address), address).toBe(1);
      // In doubt only what a killed invocation held between its claim (a round trip before its slot) and its settle.
      if (claim?.state === 'UNCERTAIN') expect(claim.reason).toBe('SENDER_DIED');
    }
    expect(counts.UNCERTAIN ?? 0).toBeLessThanOrEqual(killed * 10);

    // Act: SES's events settle what went; an operator resolves the rest through the operator endpoint.
    const resolution = await settleAndResolveApologies(local, world.deps.campaigns, incidentId, { settleSeconds: SETTLE_SECONDS, toApologise: 63 });

    // Assess: one apology each, none in doubt; each re-send approved by the operator, by IAM identity.
    const final = await world.deps.campaigns.claimCounts(incidentId);
    const finalMail = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    expect(final).toMatchObject({ SENT: 63 });
    expect(final.UNCERTAIN ?? 0).toBe(0);
    for (const address of addresses) expect(finalMail.filter((m) => m.to.includes(address)), address).toHaveLength(1);
    expect(resolution.outcomes.every((o) => o.result === 'QUEUED')).toBe(true);
    for (const { id } of resolution.outcomes) {
      const claim = await world.deps.campaigns.claimOf(incidentId, id.split('/')[1]!);
      expect(claim, id).toMatchObject({ state: 'SENT', resend: { state: 'SENT', by: `arn:aws:iam::000000000000:user/${RESOLVING_OPERATOR}` } });
    }
  }, 420_000);
});
