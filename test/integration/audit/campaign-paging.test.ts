import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { enqueueApologies } from '../../../lambdas/audit/campaign/enqueue-apologies';
import { importSendLog } from '../../../lambdas/imports/send-log/import-send-log';
import { planCampaign, type PlanReport } from '../../../lambdas/audit/campaign/plan-campaign';
import { sweepIncident } from '../../../lambdas/audit/sweep-incident';
import type { CampaignStore } from '../../../lambdas/audit/ports/campaigns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { mailedByUs } from './seed-incident';
import { createAuditWorld, sendLogLine, type AuditWorld } from './audit-world';

/** A crash: the function dies there, and the next call resumes. */
class Killed extends Error {}

/**
 * An incident of 60 unknown addresses (1-3 wrong notices each, each once mailed by us, some in German, four
 * suppressed), 8 registry owners told rightly and also wrongly about another registry, and two
 * opted-out customers told wrongly: 150 rows.
 */
async function seedLargeIncident(world: AuditWorld): Promise<string> {
  const lines: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    await world.putRegistry(`reg-${i}`, `cus-${i}`);
    await world.putCustomer(`cus-${i}`, `own${i}`);
    lines.push(sendLogLine({ sourceNoticeId: `ok-${i}`, recipientAddress: world.address(`own${i}`), registryId: `reg-${i}`, purchaseId: `po-${i}` }));
    lines.push(sendLogLine({ sourceNoticeId: `wr-${i}`, recipientAddress: world.address(`own${i}`), registryId: `reg-${(i + 1) % 8}`, purchaseId: `pw-${i}` }));
  }
  for (let i = 0; i < 2; i += 1) {
    await world.putCustomer(`cus-out${i}`, `out${i}`, 'en', true);
    lines.push(sendLogLine({ sourceNoticeId: `out-${i}`, recipientAddress: world.address(`out${i}`), registryId: 'reg-0', purchaseId: `pq-${i}` }));
  }
  for (let i = 0; i < 60; i += 1) {
    if (i % 15 === 0) await world.suppress(`x${i}`);
    for (let n = 0; n <= i % 3; n += 1) {
      lines.push(
        sendLogLine({
          sourceNoticeId: `x-${i}-${n}`,
          recipientAddress: world.address(`x${i}`),
          registryId: 'reg-ghost',
          purchaseId: `px-${i}-${n}`,
          ...(i % 4 === 0 ? { locale: 'de' } : {}),
        }),
      );
    }
  }
  // 8 × 2 + 2 + 60 × 2 = 138 rows.
  await importSendLog(lines, world.imports, { now: () => new Date() });
  // Unknown to the shop, but mailed by us once (outside the incident): no strangers, so the plan may approve itself.
  await Promise.all(Array.from({ length: 60 }, (_, i) => mailedByUs(world, `x${i}`)));
  const incident = await declareIncident({ description: 'large blast', source: 'legacy-crm' }, world.deps.incidents, new Date());
  const stored = (await world.deps.incidents.get(incident.incidentId))!;
  await sweepIncident(stored, await world.deps.incidents.list(), world.deps, { maxRows: Number.POSITIVE_INFINITY, hasTime: () => true });
  return incident.incidentId;
}

/** The whole plan as stored, by address hash. */
async function storedPlan(campaigns: CampaignStore, incidentId: string): Promise<Record<string, unknown>> {
  const plan: Record<string, unknown> = {};
  let after: string | undefined;
  do {
    const page = await campaigns.recipients(incidentId, after, 100);
    for (const { key: _key, ...r } of page.recipients) plan[r.addressHash] = r;
    after = page.cursor;
  } while (after);
  return plan;
}

/** The store, dying right after the `n`-th write of one kind: its effect is done, what follows it not. */
function dyingAfter(store: CampaignStore, method: 'foldAddresses' | 'decide' | 'savePlanProgress', n: number): CampaignStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (++calls === n) throw new Killed(`killed after ${method} #${n}`);
        return result;
      };
    },
  });
}

describe('planning and enqueueing in pages, resumed after crashes (DynamoDB Local, fauxqs)', () => {
  let clients: AwsClients;
  let reference: AuditWorld;
  let referenceIncident: string;
  let referencePlan: PlanReport;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    clients = createAwsClients();
    // The same incident planned in one go, in one big page: what the paged plan must equal.
    reference = await createAuditWorld(clients);
    referenceIncident = await seedLargeIncident(reference);
    referencePlan = await planCampaign(referenceIncident, reference.deps, { approvalThreshold: 1000, hasTime: () => true, pageSize: 1000 });
  }, 120_000);
  afterAll(() => clients.destroy());

  it('plans page by page across calls that run out of time and calls that die mid-page, to the same plan as in one go', async () => {
    // Prepare
    const world = await createAuditWorld(clients);
    const incidentId = await seedLargeIncident(world);
    const crashes: CampaignStore[] = [
      dyingAfter(world.deps.campaigns, 'foldAddresses', 3),
      dyingAfter(world.deps.campaigns, 'savePlanProgress', 2),
      dyingAfter(world.deps.campaigns, 'decide', 2),
      world.deps.campaigns,
    ];

    // Act: pages of 7, three pages per call; each of the first three calls' stores dies at some point.
    const reports: PlanReport[] = [];
    let report: PlanReport | undefined;
    for (let call = 0; !report?.done && call < 100; call += 1) {
      let pages = 0;
      const deps = world.with({ campaigns: crashes[Math.min(call, crashes.length - 1)]! });
      try {
        report = await planCampaign(incidentId, deps, { approvalThreshold: 1000, hasTime: () => pages++ < 3, pageSize: 7 });
        reports.push(report);
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
      }
    }

    // Assess
    expect(report?.done).toBe(true);
    expect(reports.length).toBeGreaterThan(5);
    expect(report!.summary).toEqual(referencePlan.summary);
    expect(report!.summary).toMatchObject({ rows: 138, toApologise: 56, skipped: { SUPPRESSED: 4, RIGHTLY_NOTIFIED: 8, OPTED_OUT: 2 } });
    const byHash = (plan: Record<string, unknown>): unknown[] => Object.values(plan).map((r) => ({ ...(r as object), noticeId: undefined }));
    const paged = await storedPlan(world.deps.campaigns, incidentId);
    const whole = await storedPlan(reference.deps.campaigns, referenceIncident);
    expect(Object.keys(paged)).toHaveLength(70);
    // The same decision, reason and language for every address (notice ids differ between the two worlds only by name).
    expect(byHash(paged).length).toBe(byHash(whole).length);
    expect(Object.values(paged).map((r) => JSON.stringify({ ...(r as object), addressHash: 0, noticeId: 0 })).sort()).toEqual(
      Object.values(whole).map((r) => JSON.stringify({ ...(r as object), addressHash: 0, noticeId: 0 })).sort(),
    );
    // Progress was reported on the way: rows read of about how many, then addresses decided.
    const midway = reports.find((r) => !r.done && r.progress?.phase === 'ROWS');
    expect(midway?.progress).toMatchObject({ rowsTotal: 138 });
    expect(midway!.progress!.rowsRead).toBeGreaterThan(0);
    expect(reports.some((r) => !r.done && r.progress?.phase === 'DECIDE' && r.progress.addresses === 70)).toBe(true);
  }, 120_000);

  it('enqueues in pages, resumes after dying between a page and its cursor, and the sender mails nobody twice', async () => {
    // Prepare: the reference plan, approved (within its threshold).
    const world = reference;
    const incidentId = referenceIncident;
    const queue = world.deps.apologyQueue;
    let pages = 0;

    // Act: a first run dies after enqueueing its second page, before saving the cursor; the next resumes.
    let sent = 0;
    const dyingQueue = {
      defer: (m: Parameters<typeof queue.defer>[0], d: number) => queue.defer(m, d),
      enqueue: async (messages: Parameters<typeof queue.enqueue>[0]) => {
        await queue.enqueue(messages);
        if (++sent === 2) throw new Killed('killed after enqueueing page 2');
      },
    };
    const dying = { campaigns: world.deps.campaigns, apologyQueue: dyingQueue };
    await expect(enqueueApologies(incidentId, dying, () => true, 10)).rejects.toThrow(Killed);
    const resumed = await enqueueApologies(incidentId, world.deps, () => pages++ < 2, 10);
    const rest = await enqueueApologies(incidentId, world.deps, () => true, 10);
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: world.apologyQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const drained = await world.drain(world.sender, { concurrency: 4, maxMs: 90_000 });

    // Assess: the dead run's second page went out twice (at most one page of doubles), every address once.
    expect(rest.progress).toMatchObject({ done: true, enqueued: 56 });
    expect(resumed.enqueuedNow + rest.enqueuedNow).toBeLessThan(56);
    const onQueue = Number(Attributes?.ApproximateNumberOfMessages);
    expect(onQueue).toBeGreaterThan(56);
    expect(onQueue).toBeLessThanOrEqual(56 + 10);
    expect(drained.results.filter((r) => r === 'SENT')).toHaveLength(56);
    expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 56 });
    const mail = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    expect(mail).toHaveLength(56);
    expect(new Set(mail.map((m) => m.to[0])).size).toBe(56);
    expect(mail.filter((m) => m.subject.startsWith('Wir haben'))).toHaveLength(14);
  }, 150_000);
});
