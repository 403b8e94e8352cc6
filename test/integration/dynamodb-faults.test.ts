import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoDbFault, type DynamoDbFaultCounts, type DynamoDbFaultProxy, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, startDynamoDbFaults } from '@registry-notices/local-stack';
import { AuditKeys, incidentPartitions, layoutOf } from '../../lambdas/audit/audit-table/keys';
import { approveCampaign } from '../../lambdas/audit/campaign/approve-campaign';
import { dryRunCampaign } from '../../lambdas/audit/campaign/dry-run-campaign';
import { declareIncident } from '../../lambdas/audit/declare-incident';
import { runAuditOnce } from '../../lambdas/audit/run-once';
import { addressHash } from '../../lambdas/directory/address-hash';
import { directoryApplyDeps } from '../../lambdas/directory/apply-deps-wiring';
import { applyDirectoryEvent } from '../../lambdas/directory/apply-directory-event';
import type { DirectoryEvent } from '../../lambdas/directory/directory-event';
import { importSendLog } from '../../lambdas/imports/send-log/import-send-log';
import { allowedRate, maxInWindow } from '../../lambdas/mail/send-rate';
import { dynamoDbClient } from '../../lambdas/platform/aws/dynamodb-client';
import { documentClientOf } from '../../lambdas/platform/dynamodb/document';
import { APPLIED_AT, deliveriesArbitrary } from '../helpers/directory-arbitraries';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { tablesSnapshot } from '../helpers/in-memory-directory-store';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { useStackAddressHashKey } from '../support/address-hash-key';
import { captureOutput } from '../support/captured-output';
import { lambdaContextFactory } from '../support/lambda-context';
import { Mailbox } from '../support/mailbox';
import { provisionNotifyStack, type ProvisionedNotifyStack } from '../support/notify-stack';
import { seedWorld } from '../support/seed-world';
import { createAuditWorld, sendLogLine } from './audit/audit-world';

/**
 * Issue 18, "DynamoDB faults survived": every DynamoDB request of the code under test goes
 * through a proxy in front of DynamoDB Local that throttles a share (both of DynamoDB's
 * throttling errors), answers some 500 and stalls some past the client's timeout, half of
 * those after DynamoDB applied them. The functions' own clients (`dynamoDbClient`: its
 * timeouts, the SDK's standard retries) and the code's own conditions carry it; what the
 * SDK gives up on is retried as SQS would (the record comes back). Seeded: the same requests
 * get the same faults. `DYNAMODB_FAULTS_BENCH=1` (bench/dynamodb-faults.ts) runs it larger
 * and writes the figures to .local/bench/dynamodb-faults.json.
 */
const BENCH = process.env.DYNAMODB_FAULTS_BENCH === '1';
const SIZE = BENCH
  ? { owners: 30, purchases: 300, directorySamples: 20, apologies: Number(process.env.DYNAMODB_FAULTS_APOLOGIES ?? 3000) }
  : { owners: 10, purchases: 30, directorySamples: 4, apologies: 100 };
const RATES = { throttle: 0.1, serverError: 0.03, stall: 0.01 };
const SEED = process.env.DYNAMODB_FAULTS_SEED ?? 'issue-18';
/** Notify's execution environments side by side, each taking batches of 10 from the one queue. */
const ENVIRONMENTS = 3;

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContextFactory>) => Promise<SQSBatchResponse>;

/** What each run saw, printed at the end (and written by the bench). */
const figures: Record<string, { counts: DynamoDbFaultCounts; seconds: number; redeliveries: number; [more: string]: unknown }> = {};

/** An operator who did not declare the incident (the two-person rule). */
const APPROVER = 'arn:aws:iam::000000000000:user/bob';

const DOMAIN = `ddb-faults-${randomUUID().slice(0, 6)}.example.com`;
const at = (local: string): string => `${local}@${DOMAIN}`;

describe('DynamoDB throttling, 500s and stalls, through a fault proxy in front of DynamoDB Local', () => {
  let faults: DynamoDbFaultProxy;
  let aws: AwsClients;
  let provisioned: ProvisionedNotifyStack;
  /** The notify handler in separate execution environments (module instances, each its own client), as Lambda scales out. */
  let environments: Handler[];
  const savedEnv = { ...process.env };
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    faults = await startDynamoDbFaults(inject('emulatorEndpoints').dynamodb, { ...RATES, seed: SEED, enabled: false });
    output = captureOutput();
    provisioned = await provisionNotifyStack(`ddbf${randomUUID().slice(0, 6)}`);
    aws = createAwsClients();
    // Hash addresses (the seeded suppression) as the stack's functions do.
    await useStackAddressHashKey(provisioned.notifyEnvironment.ADDRESS_HASH_KEY_ARN!);
    // The notify handler's DynamoDB client (lambdas/platform/clients/dynamodb.ts) is made at import from the SDK's env var.
    // The claim lease stays the template's (120 s, longer than an invocation): a copy may call a claim abandoned only
    // once its invocation is certainly over, and under faults a live one can hold it many seconds.
    Object.assign(process.env, provisioned.notifyEnvironment, { AWS_ENDPOINT_URL_DYNAMODB: faults.url });
    environments = [];
    for (let i = 0; i < ENVIRONMENTS; i += 1) {
      vi.resetModules();
      environments.push(((await import('../../lambdas/notices/notify/handler')) as unknown as { handler: Handler }).handler);
    }
  }, 180_000);

  afterAll(async () => {
    output?.restore();
    process.env = savedEnv;
    aws?.destroy();
    await faults?.close();
    for (const [run, f] of Object.entries(figures)) {
      console.log(`[dynamodb-faults] ${run}: ${f.counts.requests} requests, ${f.counts.throttles} throttled, ${f.counts.faults.INTERNAL_SERVER_ERROR} 500s, ` +
        `${f.counts.faults.STALLED_UNSENT + f.counts.faults.STALLED_APPLIED} stalled (${f.counts.faults.STALLED_APPLIED} after applying), ${f.redeliveries} redelivered, ${f.seconds.toFixed(1)} s`);
    }
    if (BENCH) {
      mkdirSync('.local/bench', { recursive: true });
      writeFileSync('.local/bench/dynamodb-faults.json', `${JSON.stringify({ at: new Date().toISOString(), seed: SEED, rates: RATES, size: SIZE, runs: figures }, null, 2)}\n`);
    }
  });

  /**
   * Runs `work` with faults on and notes what the proxy did. Each of `lost` (operation, a text of
   * its body) gets its first matching request applied and its answer lost, beside the seeded draw:
   * the writes whose retry must find their own result.
   */
  async function withFaults<T extends { redeliveries: number }>(run: string, lost: readonly (readonly [string, string])[], work: () => Promise<T>): Promise<T> {
    faults.reset();
    const fired = new Set<number>();
    faults.choose = (operation, body) => {
      const i = lost.findIndex(([op, text], n) => !fired.has(n) && op === operation && body.includes(text));
      if (i < 0) return undefined;
      fired.add(i);
      return DynamoDbFault.STALLED_APPLIED;
    };
    faults.enabled = true;
    const started = performance.now();
    try {
      const result = await work();
      figures[run] = { ...result, counts: faults.counts(), seconds: (performance.now() - started) / 1000, lostAnswersChosen: fired.size };
      expect(fired.size, `lost answers chosen in ${run}`).toBe(lost.length);
      return result;
    } finally {
      faults.enabled = false;
      faults.choose = () => undefined;
    }
  }

  it('a burst of purchases, each delivered twice: every notice sent once to its owner, none lost, none to anyone else', async () => {
    // Prepare: owners with a registry each, a closed registry and a suppressed owner (nothing may go to them).
    const owners = Array.from({ length: SIZE.owners }, (_, i) => ({ registryId: `reg-${i}`, customerId: `cus-${i}`, email: at(`owner${i}`) }));
    await seedWorld(aws.documentClient, provisioned.names, {
      registries: [
        ...owners.map((o) => ({ registryId: o.registryId, ownerCustomerId: o.customerId, status: 'ACTIVE', purchaseNotifications: true, itemIds: ['item-a', 'item-b'] })),
        { registryId: 'reg-closed', ownerCustomerId: 'cus-closed', status: 'CLOSED', purchaseNotifications: true, itemIds: ['item-a'] },
        { registryId: 'reg-suppressed', ownerCustomerId: 'cus-suppressed', status: 'ACTIVE', purchaseNotifications: true, itemIds: ['item-a'] },
      ],
      customers: [
        ...owners.map((o) => ({ customerId: o.customerId, email: o.email, locale: 'en', notificationsOptOut: false })),
        { customerId: 'cus-closed', email: at('closed'), locale: 'en', notificationsOptOut: false },
        { customerId: 'cus-suppressed', email: at('suppressed'), locale: 'en', notificationsOptOut: false },
      ],
      suppressedAddresses: [at('suppressed')],
    });
    const purchases = Array.from({ length: SIZE.purchases }, (_, i) =>
      purchaseMessageFactory({ registryId: `reg-${i % SIZE.owners}`, item: { itemId: i % 2 ? 'item-a' : 'item-b', title: `Gift ${i}`, quantity: 1 } }),
    );
    const blocked = [
      purchaseMessageFactory({ registryId: 'reg-closed', item: { itemId: 'item-a', title: 'Closed gift', quantity: 1 } }),
      purchaseMessageFactory({ registryId: 'reg-suppressed', item: { itemId: 'item-a', title: 'Suppressed gift', quantity: 1 } }),
    ];
    // Each event twice (SQS delivers at least once), in a seeded shuffle.
    const deliveries = fc.sample(fc.shuffledSubarray([...purchases, ...blocked].flatMap((m) => [m, m]), { minLength: (purchases.length + 2) * 2 }), { numRuns: 1, seed: 18 })[0]!;

    // Act: batches of 10 as the event source sends them; a failed record comes back in a later batch.
    // Besides the draw: the first claim (TransactWriteItems) and the first SENT (UpdateItem) applied, their answers lost.
    await withFaults('notify burst', [['TransactWriteItems', '"SENDING"'], ['UpdateItem', '":sent"']], async () => {
      // A record that failed becomes visible again a little later (a copy whose twin holds the claim, until it settles).
      let queue = deliveries.map((m) => ({ record: sqsRecordFactory(m), visibleAt: 0 }));
      let redeliveries = 0;
      const deadline = Date.now() + (BENCH ? 600_000 : 90_000);
      const environment = async (notify: Handler): Promise<void> => {
        while (queue.length > 0 && Date.now() < deadline) {
          const batch = queue.filter((q) => q.visibleAt <= Date.now()).slice(0, 10);
          if (batch.length === 0) {
            await sleep(100);
            continue;
          }
          queue = queue.filter((q) => !batch.includes(q));
          // Told it has 60 s, not notify's 30: on a loaded box a batch under faults can take longer, and an invocation
          // Middy cut short goes on in the background here, where Lambda would have stopped it. Still under the lease.
          const answer = await notify({ Records: batch.map((q) => q.record) }, lambdaContextFactory('notify', 60_000)).catch(() => undefined);
          // An invocation that failed as a whole: every record of its batch comes back.
          const failed = new Set(answer ? answer.batchItemFailures.map((f) => f.itemIdentifier) : batch.map((q) => q.record.messageId));
          const back = batch.filter((q) => failed.has(q.record.messageId));
          redeliveries += back.length;
          queue.push(...back.map((q) => ({ record: q.record, visibleAt: Date.now() + 1_000 })));
        }
      };
      await Promise.all(environments.map(environment));
      expect(queue, 'records still failing at the deadline').toEqual([]);
      return { redeliveries };
    });

    // Assess
    const mailbox = new Mailbox();
    const mail = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(`@${DOMAIN}`)));
    for (const [i, message] of purchases.entries()) {
      const owner = owners[i % SIZE.owners]!;
      const notices = mail.filter((m) => m.text?.includes(`“Gift ${i}”`));
      const row = await aws.documentClient.send(new ScanCommand({ TableName: provisioned.names.ledgerTable, FilterExpression: 'eventId = :e', ExpressionAttributeValues: { ':e': message.eventId } }));
      expect(notices.map((m) => m.to), `purchase ${i}: ${JSON.stringify(row.Items?.map(({ outcome, reason, decidedAt, settledAt }) => ({ outcome, reason, decidedAt, settledAt })))}`).toEqual([[owner.email]]);
      expect(row.Items?.map((r) => [r.outcome, r.sesMessageId]), `purchase ${i}`).toEqual([['SENT', notices[0]!.messageId]]);
    }
    expect(mail).toHaveLength(purchases.length);
    for (const message of blocked) {
      const row = await aws.documentClient.send(new ScanCommand({ TableName: provisioned.names.ledgerTable, FilterExpression: 'eventId = :e', ExpressionAttributeValues: { ':e': message.eventId } }));
      expect(row.Items?.map((r) => r.outcome)).toEqual(['BLOCKED']);
    }
    // The proxy did throttle, fail and stall this run (else it proves nothing).
    expect(figures['notify burst']!.counts.throttles).toBeGreaterThan(0);
  }, BENCH ? 900_000 : 120_000);

  it('a directory replay ends in the same tables as the same events applied without faults', async () => {
    // Prepare: events with 3 copies each, shuffled (fast-check, seeded), namespaced twice in the same tables.
    // Several samples, each about its own ids (`r<n>-`), for timelines long enough to be hit.
    const samples = fc.sample(deliveriesArbitrary({ maxEvents: 30 }), { numRuns: SIZE.directorySamples, seed: 18 });
    const events = samples.flatMap((sample, n) => sample.events.map((e) => namespaced(e, `r${n}-`)));
    const deliveries = samples.flatMap((sample, n) => sample.deliveries.map((e) => namespaced(e, `r${n}-`)));
    const tables = directoryTablesOf(provisioned);
    const clean = `${randomUUID().slice(0, 6)}c-`;
    const faulty = clean.replace(/c-$/, 'f-');
    const now = (): Date => new Date(APPLIED_AT);
    for (const event of deliveries) await applyDirectoryEvent(namespaced(event, clean), directoryApplyDeps(aws.documentClient, tables, now));
    // The directory function's client, as lambdas/platform/clients/dynamodb.ts makes it, through the proxy.
    const client = dynamoDbClient({ endpoint: faults.url, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    const deps = directoryApplyDeps(documentClientOf(client), tables, now);

    // Act: one at a time (the queue's order); one that fails goes to the back, as SQS brings it again later.
    await withFaults('directory replay', [], async () => {
      let queue = deliveries.map((e) => namespaced(e, faulty));
      let redeliveries = 0;
      while (queue.length > 0) {
        const [next, ...rest] = queue;
        queue = rest;
        try {
          await applyDirectoryEvent(next!, deps);
        } catch {
          redeliveries += 1;
          queue.push(next!);
        }
      }
      return { redeliveries, events: events.length, deliveries: deliveries.length };
    });

    // Assess
    const strip = (snapshot: unknown, ns: string): unknown => JSON.parse(JSON.stringify(snapshot).replaceAll(ns, ''));
    const cleanTables = strip(await directorySnapshot(aws, tables, clean), clean);
    expect(strip(await directorySnapshot(aws, tables, faulty), faulty)).toEqual(cleanTables);
    expect(figures['directory replay']!.counts.throttles).toBeGreaterThan(0);
    client.destroy();
  }, BENCH ? 900_000 : 120_000);

  it('a campaign: one apology each, the rate bound held, nothing left SENDING, nothing UNCERTAIN that was not sent', async () => {
    // Prepare: an incident of addresses nobody knows (one notice each), planned and sent with the functions' client through the proxy.
    const client = dynamoDbClient({ endpoint: faults.url, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    const world = await createAuditWorld({ ...aws, dynamodb: client }, { approvalThreshold: SIZE.apologies * 10 });
    const lines = Array.from({ length: SIZE.apologies }, (_, i) =>
      sendLogLine({ sourceNoticeId: `n-${i}`, recipientAddress: world.address(`p${i}`), registryId: 'reg-ghost', purchaseId: `p-${i}` }),
    );
    await importSendLog(lines, world.imports, { now: () => new Date() });
    const { incidentId } = await declareIncident({ description: 'legacy CRM blast', source: 'legacy-crm' }, world.deps.incidents, new Date());

    // The plan without faults: the audit's sweep reads row by row, slow on this box and not what is tested here.
    const plan = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: SIZE.apologies * 10 });
    // Strangers from an import wait for a second person's approval.
    if (plan.state !== 'APPROVED') await approveCampaign(incidentId, { approvedBy: APPROVER, plannedAt: plan.plannedAt }, { ...world.deps, approvalThreshold: SIZE.apologies * 10 }, new Date());

    // Act: enqueue (the audit run) and send with faults on; the sender's pollers as the event source runs them.
    // Besides the draw: the first apology claim (PutItem) and the first settle (TransactWriteItems) applied, their answers lost.
    const report = await withFaults('campaign', [['PutItem', '"APOLOGY#'], ['TransactWriteItems', '"APOLOGY#']], async () => {
      let redeliveries = 0;
      while (!(await world.deps.campaigns.get(incidentId))?.enqueue?.done) await retried(() => runAuditOnce(world.deps, () => 60_000), () => (redeliveries += 1));
      // As in the stack, a claim is stale only after any invocation that can hold it is over: the world's 3 s
      // would call a live sender dead while a stall (3 s) and the retries after it hold its claim.
      const sender = world.senderWith({ settings: { staleClaimMs: 60_000 } });
      const drained = await world.drain(sender, { concurrency: 4, remainingMs: 20_000, maxMs: BENCH ? 1_800_000 : 150_000 });
      return { redeliveries: redeliveries + drained.retried, toApologise: plan.summary.toApologise, results: tally(drained.results) };
    });

    // Assess (faults off): one email per address, claims settled, and the sends' starts within the allowed rate.
    const mail = (await new Mailbox().list()).filter((m) => m.to.some((a) => a.endsWith(`@${world.domain}`)));
    const claims = await claimsOf(aws, world.tables.audit, incidentId);
    const allowed = allowedRate(14, world.sender.settings.sendRateShare);
    const starts = claims.flatMap((c) => (typeof c.sendStartedAt === 'string' ? [Date.parse(c.sendStartedAt)] : [])).sort((a, b) => a - b);
    figures.campaign = { ...figures.campaign!, allowedPerSecond: allowed, largestOneSecondWindow: maxInWindow(starts, 1000), claims: tally(claims.map((c) => String(c.state))) };
    expect(report.toApologise).toBe(SIZE.apologies);
    const byAddress = new Map<string, number>();
    for (const m of mail) for (const a of m.to) byAddress.set(a, (byAddress.get(a) ?? 0) + 1);
    expect(byAddress.size).toBe(SIZE.apologies);
    expect([...byAddress.values()].every((n) => n === 1)).toBe(true);
    expect(claims).toHaveLength(SIZE.apologies);
    expect(claims.filter((c) => c.state === 'SENDING')).toEqual([]);
    // In doubt only where an email may have gone: it did, the emulator has it.
    const mailed = new Set(mail.flatMap((m) => m.to.map((a) => `APOLOGY#${addressHash(a)}`)));
    expect(claims.filter((c) => c.state === 'UNCERTAIN' && !mailed.has(String(c.sk)))).toEqual([]);
    expect(claims.filter((c) => c.state !== 'SENT' && c.state !== 'UNCERTAIN')).toEqual([]);
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(allowed);
    expect(figures.campaign!.counts.throttles).toBeGreaterThan(0);
    client.destroy();
  }, BENCH ? 2_400_000 : 240_000);
});

/** A use case run again when it throws, as its queue or schedule would run it again. */
async function retried<T>(work: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 20) throw error;
      onRetry();
    }
  }
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** The same events about other ids, so each run has its own timelines in the shared tables. */
function namespaced(event: DirectoryEvent, ns: string): DirectoryEvent {
  const e = { ...event, eventId: `${ns}${event.eventId}` } as Record<string, unknown>;
  for (const key of ['registryId', 'customerId', 'ownerCustomerId'] as const) if (typeof e[key] === 'string') e[key] = `${ns}${String(e[key])}`;
  return e as DirectoryEvent;
}

function directoryTablesOf(provisioned: ProvisionedNotifyStack): { history: string; registries: string; customers: string; ledger: string } {
  const history = [...provisioned.stack.resources.values()].find((r) => r.type === 'AWS::DynamoDB::Table' && r.logicalId.startsWith('DataTablesDirectoryHistoryTable'));
  if (!history) throw new Error('the template has no history table');
  return { history: history.outputs.ref, registries: provisioned.names.registriesTable, customers: provisioned.names.customersTable, ledger: provisioned.names.ledgerTable };
}

/** Everything of one namespace in the directory's three tables (a test may Scan; the functions may not). */
async function directorySnapshot(aws: AwsClients, tables: { history: string; registries: string; customers: string }, ns: string) {
  const scan = async (TableName: string, attribute: string) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await aws.documentClient.send(
        new ScanCommand({ TableName, FilterExpression: 'contains(#a, :ns)', ExpressionAttributeNames: { '#a': attribute }, ExpressionAttributeValues: { ':ns': ns }, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  return tablesSnapshot({ history: await scan(tables.history, 'pk'), registries: await scan(tables.registries, 'pk'), customers: await scan(tables.customers, 'customerId') });
}

/** Every apology claim of an incident, across its shard partitions. */
async function claimsOf(aws: AwsClients, auditTable: string, incidentId: string): Promise<Record<string, unknown>[]> {
  const header = await aws.documentClient.send(new GetCommand({ TableName: auditTable, Key: AuditKeys.incident(incidentId) }));
  const claims: Record<string, unknown>[] = [];
  for (const pk of incidentPartitions(incidentId, layoutOf(header.Item))) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await aws.documentClient.send(
        new QueryCommand({ TableName: auditTable, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': pk, ':p': 'APOLOGY#' }, ExclusiveStartKey }),
      );
      claims.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return claims;
}
