// `npm run bench:audit`: does the audit of new rows keep pace with notify? See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedTablesOf, writeSeed } from '../cli/seed/write-seed';
import { useStackAddressHashKey } from '../cli/address-hash-key';
import { sendPurchaseEvents } from '../cli/send/send-purchase-events';
import { SqsAuditShardQueue } from '../lambdas/audit/queues/sqs-audit-shard-queue';
import { sqsClient } from '../lambdas/platform/aws/sqs-client';
import { dispatchRowAudit } from '../lambdas/audit/dispatch-row-audit';
import { PENDING_STATES } from '../lambdas/notices/ledger-table/audit-shards';
import { type BatchReport, emulatorEnv, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, localClients, startEmulators, startLocalStack, synthesize } from '@registry-notices/local-stack';
import { median } from './stats';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    'no-synth': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
/** The audit leaves rows younger than this alone; the benchmark lets it pass, untimed, before the audit starts. */
const SETTLE_SECONDS = 1;

interface RunResult {
  readonly notifyPerSecond: number;
  readonly auditPerSecond: number;
}

/**
 * Distinct registries, one per event of a run: a registry read once serves one row, as in an
 * incident of many people (the audit reads each registry and owner once per pass).
 */
function seedFor(runs: number, events: number) {
  const n = Array.from({ length: (runs + 1) * events }, (_, i) => i);
  return {
    customers: n.map((i) => ({ customerId: `pace-c-${i}`, email: `pace-owner-${i}@example.com`, locale: 'en', firstName: `O${i}`, notificationsOptOut: false })),
    registries: n.map((i) => ({
      registryId: `pace-r-${i}`,
      ownerCustomerId: `pace-c-${i}`,
      title: `Registry ${i}`,
      status: 'ACTIVE' as const,
      purchaseNotifications: true,
      items: [{ itemId: 'gift', title: 'Gift' }],
    })),
    suppressions: [],
  };
}

function eventsFor(run: number, events: number): string[] {
  const now = new Date().toISOString();
  return Array.from({ length: events }, (_, k) => {
    const i = run * events + k;
    return JSON.stringify({
      schemaVersion: 1,
      eventId: `pace-${run}-${k}`,
      purchaseId: `pace-p-${run}-${k}`,
      registryId: `pace-r-${i}`,
      item: { itemId: 'gift', title: 'Gift', quantity: 1 },
      purchasedAt: now,
      recipientCustomerId: `pace-c-${i}`,
    });
  });
}

async function main(): Promise<void> {
  const cloudAssembly = values['no-synth'] ? '.local/cdk.out' : await synthesize({ outdir: benchTempDir('bench-audit-cdk-out-') });
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  // Deleted messages per event source mapping, told by the observer; `deletedReach` waits on them.
  const deleted = new Map<string, number>();
  const waiters: (() => void)[] = [];
  const observer = (report: BatchReport): void => {
    deleted.set(report.eventSource, (deleted.get(report.eventSource) ?? 0) + report.deleted);
    for (const wake of waiters.splice(0)) wake();
  };
  const deletedReach = async (source: string, count: number): Promise<void> => {
    while ((deleted.get(source) ?? 0) < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const local = await startLocalStack({
    cloudAssembly,
    endpoints: emulators.endpoints,
    // Rows are audited at once (deployed: 5 minutes after they were decided), so both sides are timed on the same rows.
    functionEnvironment: { ...emulatorEnv(emulators.endpoints), AUDIT_SETTLE_SECONDS: String(SETTLE_SECONDS) },
    region: LOCAL_AWS_REGION,
    // No scheduled audit in between: the benchmark dispatches the shards itself, as a scheduled run does.
    schedules: false,
    observer,
  });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  const out = local.outputs.values;
  const mappings = local.functions.mappings;
  const notify = mappings.find((m) => m.functionLogicalId.includes('NotifyFunction'))?.settings;
  const worker = mappings.find((m) => m.functionLogicalId.includes('WorkerFunction'))?.settings;
  if (!notify || !worker || !out.PurchaseQueueUrl || !out.AuditQueueUrl || !out.LedgerTableName) {
    throw new Error('The stack has no notify mapping, row-audit mapping or audit queue to measure.');
  }
  const shards = new SqsAuditShardQueue(sqsClient({ endpoint: emulators.endpoints.sqs, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS }), out.AuditQueueUrl);
  const results: RunResult[] = [];
  try {
    await useStackAddressHashKey(clients.kms, { description: 'bench stack', outputs: out });
    await writeSeed(clients.documentClient, seedTablesOf((key) => out[key] ?? ''), seedFor(RUNS, EVENTS));
    console.log(
      `${EVENTS} events per run on ${EVENTS} distinct registries, ${RUNS} runs after a warm-up; notify: ${notify.maximumConcurrency} pollers, batch ${notify.batchSize}; ` +
        `row audit: ${PENDING_STATES.length} shards, ${worker.maximumConcurrency} pollers, batch ${worker.batchSize}`,
    );
    for (let run = 0; run <= RUNS; run += 1) {
      const label = run === 0 ? 'warm-up' : `run ${run}`;
      await fetch(`${emulators.endpoints.ses}/clear-store`, { method: 'POST' });

      // Notify: events → purchase queue → notify function → ledger rows pending audit.
      const notifyBefore = deleted.get(notify.logicalId) ?? 0;
      const notifyStart = performance.now();
      await sendPurchaseEvents(clients.sqs, out.PurchaseQueueUrl, eventsFor(run, EVENTS));
      await deletedReach(notify.logicalId, notifyBefore + EVENTS);
      const notifySeconds = (performance.now() - notifyStart) / 1000;
      if ((await pendingRows(clients.documentClient, out.LedgerTableName)) !== EVENTS) throw new Error(`${label}: expected ${EVENTS} rows pending audit`);

      // The audit of those rows: one message per shard (what a scheduled run sends), each shard's pass by a worker.
      // Deployed, rows wait 5 minutes before they are audited; here the newest waits out the settle time first.
      await setTimeout(SETTLE_SECONDS * 1000 + 100);
      const workerBefore = deleted.get(worker.logicalId) ?? 0;
      const auditStart = performance.now();
      const queued = await dispatchRowAudit(shards);
      await deletedReach(worker.logicalId, workerBefore + queued);
      const auditSeconds = (performance.now() - auditStart) / 1000;
      const left = await pendingRows(clients.documentClient, out.LedgerTableName);
      if (left !== 0) throw new Error(`${label}: ${left} rows still pending after every shard's pass`);

      const result = { notifyPerSecond: EVENTS / notifySeconds, auditPerSecond: EVENTS / auditSeconds };
      console.log(
        `${label.padEnd(8)} notify ${result.notifyPerSecond.toFixed(1)} notices/s (${notifySeconds.toFixed(2)} s)   ` +
          `audit ${result.auditPerSecond.toFixed(1)} rows/s (${auditSeconds.toFixed(2)} s)   ratio ${(result.auditPerSecond / result.notifyPerSecond).toFixed(2)}`,
      );
      if (run > 0) results.push(result);
    }
  } finally {
    await local.stop();
    clients.destroy();
    await emulators.stop();
  }

  const notifyRate = median(results.map((r) => r.notifyPerSecond));
  const auditRate = median(results.map((r) => r.auditPerSecond));
  const summary = {
    at: new Date().toISOString(),
    events: EVENTS,
    runs: RUNS,
    shards: PENDING_STATES.length,
    notifyNoticesPerSecond: round(notifyRate),
    auditRowsPerSecond: round(auditRate),
    ratio: round(auditRate / notifyRate),
    medianRunRatio: round(median(results.map((r) => r.auditPerSecond / r.notifyPerSecond))),
    perRun: results.map((r) => ({ notify: round(r.notifyPerSecond), audit: round(r.auditPerSecond) })),
    loadAverage: loadavg().map(round),
  };
  mkdirSync('.local/bench', { recursive: true });
  writeFileSync('.local/bench/audit-pace.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log('\n| measure | median |\n|---|---|');
  console.log(`| notify (queue → Lambda runner → notify function → ledger) | ${summary.notifyNoticesPerSecond} notices/s |`);
  console.log(`| row audit of the same rows (${summary.shards} shard messages → row-audit workers) | ${summary.auditRowsPerSecond} rows/s |`);
  console.log(`| ratio of the medians, audit / notify (≥ 1: it keeps up) | ${summary.ratio} |`);
  console.log(`| median of the per-run ratios | ${summary.medianRunRatio} |`);
  console.log('\n(also in .local/bench/audit-pace.json)');
}

/** Rows waiting for the audit, over every pending state. */
async function pendingRows(db: DynamoDBDocumentClient, ledger: string): Promise<number> {
  let total = 0;
  for (const state of PENDING_STATES) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: ledger,
          IndexName: 'byAuditState',
          KeyConditionExpression: 'auditState = :s',
          ExpressionAttributeValues: { ':s': state },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return total;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
