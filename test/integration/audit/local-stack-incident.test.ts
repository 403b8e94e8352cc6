import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Stack } from 'aws-cdk-lib';
import type { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_RUN_EVENT } from '../../../lambdas/audit/run/run-event';
import { approveCampaign } from '../../../lambdas/audit/campaign/approve-campaign';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import type { RunReport } from '../../../lambdas/audit/run-once';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { PENDING_STATES, pendingStateFor } from '../../../lambdas/notices/ledger-table/audit-shards';
import type { LocalStack } from '@registry-notices/local-stack';
import type { AwsClients } from '../../support/aws-clients';
import { eventually } from '../../support/apology-drain';
import { buildStack } from '../../infra/helpers';
import { Mailbox } from '../../support/mailbox';
import type { AuditWorld } from './audit-world';
import { startBundledAuditWorld, type BundledAuditWorld } from './bundled-audit-world';
import { EXPECTED_APOLOGIES, NO_APOLOGY, OPS_PERSON, seedIncident } from './seed-incident';

/**
 * End to end on the local stack: the synthesized template provisioned on the emulators,
 * the audit function run from its esbuild bundle by the scheduler's target.
 */
describe('a replayed incident on the local stack', () => {
  let clients: AwsClients;
  let local: LocalStack;
  let world: AuditWorld;
  let bundled: BundledAuditWorld | undefined;
  let scheduleId: string;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    // Prepare: the app as bin/ builds it, bundled for real.
    bundled = await startBundledAuditWorld({ prefix: 'e2e' });
    ({ local, clients, world } = bundled);
    // The construct tree of the same app (default context), for the audit schedule's logical id.
    const { stack } = buildStack();
    scheduleId = Stack.of(stack).getLogicalId(stack.audit.schedule.node.defaultChild as CfnSchedule);
  }, 180_000);

  afterAll(() => bundled?.stop());

  it('yields exactly the right apologies through the apology queue and the sender; a second run sends none; the dry run sent none and counted the same', async () => {
    // Prepare
    const incidentId = await seedIncident(world);
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });
    const afterDryRun = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    await approveCampaign(incidentId, { approvedBy: OPS_PERSON, plannedAt: dry.plannedAt }, { ...world.deps, approvalThreshold: 2 }, new Date());

    // Act: the scheduler fires; the sender (run by the engine from the apology queue) sends; the scheduler fires again.
    const fn = [...local.functions.definitions.keys()].find((id) => id.includes('AuditFunction'))!;
    const first = (await local.functions.invoke(fn, AUDIT_RUN_EVENT)).payload as RunReport;
    const ours = async () => (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    await eventually(async () => (await world.deps.campaigns.claimCounts(incidentId)).SENT === 3);
    await local.functions.fireSchedule(scheduleId);
    const sentAfterSecond = await ours();

    // Assess
    expect(afterDryRun).toHaveLength(0);
    expect(first.campaigns[0]).toMatchObject({ enqueuedNow: dry.summary.toApologise, allEnqueued: true });
    expect((await world.deps.campaigns.get(incidentId))?.state).toBe('COMPLETE');
    expect(sentAfterSecond).toHaveLength(3);
    for (const [local_, locale] of Object.entries(EXPECTED_APOLOGIES)) {
      const mail = await mailbox.to(world.address(local_));
      expect(mail, local_).toHaveLength(1);
      expect(mail[0]?.subject.startsWith(locale === 'de' ? 'Wir haben' : 'We sent')).toBe(true);
    }
    for (const local_ of NO_APOLOGY) expect(await mailbox.to(world.address(local_)), local_).toHaveLength(0);
    // Its wait for the sends is eventually's minute: on a loaded box (npm start, the browser and four stacks at
    // once) the test's default 30 s ran out first (39 s once, 2026-12-08; 7.6 s alone).
  }, 90_000);

  it('fans the audit of new rows out: the scheduled run queues one message per shard, the row-audit workers judge every row', async () => {
    // Prepare: three notices as notify leaves them, filed under their addresses' shards.
    await world.putRegistry('reg-fan', 'cus-fan');
    await world.putCustomer('cus-fan', 'fan');
    const notices = [
      { noticeId: 'evt#fan-right', local: 'fan', registryId: 'reg-fan', purchaseId: 'p-fan-1' },
      { noticeId: 'evt#fan-stranger', local: 'fan-stranger', registryId: 'reg-fan', purchaseId: 'p-fan-2' },
      { noticeId: 'evt#fan-ghost', local: 'fan', registryId: 'reg-fan-ghost', purchaseId: 'p-fan-3' },
    ];
    for (const n of notices) {
      const recipientAddress = world.address(n.local);
      await world.putNotice(n.noticeId, {
        decidedAt: '2025-03-02T10:00:00.000Z',
        registryId: n.registryId,
        purchaseId: n.purchaseId,
        recipientAddress,
        recipientAddressHash: addressHash(recipientAddress),
        auditState: pendingStateFor(addressHash(recipientAddress)),
      });
    }
    const fn = [...local.functions.definitions.keys()].find((id) => id.includes('AuditFunction'))!;

    // Act
    const run = (await local.functions.invoke(fn, AUDIT_RUN_EVENT)).payload as RunReport;

    // Assess: the run audited nothing itself; the workers, fed by the audit queue, judged each row.
    expect(run.audit).toMatchObject({ shardsQueued: PENDING_STATES.length, rows: 0 });
    const read = () =>
      Promise.all(notices.map(async (n) => (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId: n.noticeId } }))).Item));
    const ledger = await vi.waitFor(
      async () => {
        const items = await read();
        if (items.some((item) => item?.auditVerdict === undefined)) throw new Error('not all rows audited yet');
        return items;
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(ledger.map((item) => item?.auditState)).toEqual([undefined, undefined, undefined]);
    expect(ledger.map((item) => [item?.auditVerdict, item?.auditReason])).toEqual([
      ['OK', undefined],
      ['WRONG', 'NOT_A_PARTICIPANT'],
      ['WRONG', 'REGISTRY_NOT_FOUND'],
    ]);
  });
});
