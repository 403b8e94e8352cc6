// `npm run bench`: end-to-end throughput of the local stack next to a raw SDK baseline. See bench/README.md.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedTablesOf, writeSeed } from '../cli/seed/write-seed';
import { useStackAddressHashKey } from '../cli/address-hash-key';
import { sendPurchaseEvents } from '../cli/send/send-purchase-events';
import { sentMail } from '../cli/demo/sent-mail';
import { emulatorEnv, LOCAL_AWS_REGION, localClients, startEmulators, startLocalStack, synthesize } from '@registry-notices/local-stack';
import { benchEvents, benchSeed } from './bench-data';
import { leanTable, leanTargetsMet, measureLean, type LeanReport } from './measure-lean';
import { measureStartup } from './measure-startup';
import type { RawBaselineConfig } from './raw-baseline-process';
import { median } from './stats';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    'no-synth': { type: 'boolean', default: false },
    'startup-runs': { type: 'string', default: '1' },
    'init-runs': { type: 'string', default: '20' },
    'lean-only': { type: 'boolean', default: false },
    'no-lean': { type: 'boolean', default: false },
    'no-round-trips': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const STARTUP_RUNS = Number(values['startup-runs']);
const INIT_RUNS = Number(values['init-runs']);

interface RunResult {
  readonly pipelinePerSecond: number;
  readonly baselinePerSecond: number;
}

async function main(): Promise<void> {
  const projectDir = process.cwd();
  const startups: number[] = [];
  for (let run = 0; run < STARTUP_RUNS; run += 1) {
    startups.push(await measureStartup(projectDir));
    console.log(`npm start → ready: ${startups.at(-1)?.toFixed(1)} s`);
  }

  const cloudAssembly = values['no-synth'] ? '.local/cdk.out' : await synthesize({ outdir: benchTempDir('bench-cdk-out-') });

  // Bundles and cold init first, before the emulators load the machine.
  let lean: LeanReport | undefined;
  if (!values['no-lean']) {
    lean = await measureLean({ projectDir, cloudAssembly, initRuns: INIT_RUNS, outDir: '.local/bench' });
    mkdirSync('.local/bench', { recursive: true });
    writeFileSync('.local/bench/lean.json', `${JSON.stringify({ at: new Date().toISOString(), loadAverage: loadavg().map(round), ...lean }, null, 2)}\n`);
    console.log(`\n${leanTable(lean)}\n(also in .local/bench/lean.json; esbuild metafiles in .local/bench/bundles/, bare handlers in .local/bench/bare/)\n`);
    if (!leanTargetsMet(lean)) {
      console.error('lean: a function misses a target (OVER above)');
      process.exitCode = 1;
    }
    // The third lean target: a notice in at most 6 sequential round trips, counted against the emulators.
    if (!values['no-round-trips']) await roundTrips();
    if (values['lean-only']) return;
  }
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  // Messages the purchase queue's mapping has deleted so far (the stack's other consumers, such
  // as the row-audit worker a scheduled audit run feeds, are not counted); `deletedReach` waits on it.
  const purchase: { source?: string } = {};
  let deleted = 0;
  let onDeleted = (): void => undefined;
  const deletedReach = (count: number): Promise<void> =>
    new Promise((resolve) => {
      onDeleted = () => {
        if (deleted >= count) resolve();
      };
      onDeleted();
    });
  const local = await startLocalStack({
    cloudAssembly,
    endpoints: emulators.endpoints,
    functionEnvironment: emulatorEnv(emulators.endpoints),
    region: LOCAL_AWS_REGION,
    observer: (report) => {
      if (report.eventSource !== purchase.source) return;
      deleted += report.deleted;
      onDeleted();
    },
  });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  const { sqs, documentClient } = clients;
  const out = local.outputs.values;
  const tables = seedTablesOf((key) => out[key] ?? '');
  const mapping = local.functions.mappings.find((m) => m.settings.queueUrl === out.PurchaseQueueUrl)?.settings;
  if (!mapping || !out.PurchaseQueueUrl) throw new Error('The stack has no purchase queue mapping to measure.');
  purchase.source = mapping.logicalId;

  const results: RunResult[] = [];
  try {
    await useStackAddressHashKey(clients.kms, { description: 'bench stack', outputs: out });
    await writeSeed(documentClient, tables, benchSeed());
    console.log(
      `${EVENTS} events per run, ${RUNS} runs after a warm-up; concurrency ${mapping.maximumConcurrency}, batch ${mapping.batchSize}, ` +
        `window ${mapping.maximumBatchingWindowSeconds} s`,
    );
    for (let run = 0; run <= RUNS; run += 1) {
      const label = run === 0 ? 'warm-up' : `run ${run}`;
      await fetch(`${emulators.endpoints.ses}/clear-store`, { method: 'POST' });

      // The pipeline: queue → event source mapping → notify function → DynamoDB + SES.
      const before = deleted;
      const pipelineStart = performance.now();
      await sendPurchaseEvents(sqs, out.PurchaseQueueUrl, benchEvents(`bench-${run}`, EVENTS));
      await deletedReach(before + EVENTS);
      const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
      await verify(documentClient, tables.ledger, `evt#bench-${run}-`, emulators.endpoints.ses, EVENTS);

      // The raw baseline: the same work as bare SDK calls, same emulators, same concurrency.
      await fetch(`${emulators.endpoints.ses}/clear-store`, { method: 'POST' });
      const { QueueUrl: rawQueue = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-raw-${run}` }));
      // One process per concurrent loop, as the pipeline has one execution environment per poller.
      const baseline = startBaseline(mapping.maximumConcurrency, EVENTS, {
        region: LOCAL_AWS_REGION,
        endpoints: emulators.endpoints,
        queueUrl: rawQueue,
        tables,
        sender: 'gifts@notices.example.com',
        concurrency: 1,
        batchSize: Math.min(10, mapping.batchSize),
      });
      await baseline.ready;
      const rawStart = performance.now();
      await sendPurchaseEvents(sqs, rawQueue, benchEvents(`raw-${run}`, EVENTS));
      await baseline.done;
      const rawSeconds = (performance.now() - rawStart) / 1000;
      await verify(documentClient, tables.ledger, `evt#raw-${run}-`, emulators.endpoints.ses, EVENTS);

      const result = { pipelinePerSecond: EVENTS / pipelineSeconds, baselinePerSecond: EVENTS / rawSeconds };
      console.log(
        `${label.padEnd(8)} pipeline ${result.pipelinePerSecond.toFixed(1)} notices/s (${pipelineSeconds.toFixed(2)} s)   ` +
          `raw ${result.baselinePerSecond.toFixed(1)} notices/s (${rawSeconds.toFixed(2)} s)   ratio ${(result.pipelinePerSecond / result.baselinePerSecond).toFixed(2)}`,
      );
      if (run > 0) results.push(result);
    }
  } finally {
    await local.stop();
    clients.destroy();
    await emulators.stop();
  }

  const pipeline = median(results.map((r) => r.pipelinePerSecond));
  const baseline = median(results.map((r) => r.baselinePerSecond));
  const summary = {
    at: new Date().toISOString(),
    events: EVENTS,
    runs: RUNS,
    concurrency: mapping.maximumConcurrency,
    batchSize: mapping.batchSize,
    batchingWindowSeconds: mapping.maximumBatchingWindowSeconds,
    pipelineNoticesPerSecond: round(pipeline),
    baselineNoticesPerSecond: round(baseline),
    ratio: round(pipeline / baseline),
    medianRunRatio: round(median(results.map((r) => r.pipelinePerSecond / r.baselinePerSecond))),
    perRun: results.map((r) => ({ pipeline: round(r.pipelinePerSecond), baseline: round(r.baselinePerSecond) })),
    loadAverage: loadavg().map(round),
    startupSeconds: startups.length ? round(median(startups)) : undefined,
    lean,
  };
  mkdirSync('.local/bench', { recursive: true });
  writeFileSync('.local/bench/latest.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log('\n| measure | median |\n|---|---|');
  console.log(`| pipeline (queue → Lambda runner → notify function → DynamoDB + SES) | ${summary.pipelineNoticesPerSecond} notices/s |`);
  console.log(`| raw SDK baseline, same emulators and concurrency | ${summary.baselineNoticesPerSecond} notices/s |`);
  console.log(`| ratio of the medians, pipeline / baseline | ${summary.ratio} |`);
  console.log(`| median of the per-run ratios | ${summary.medianRunRatio} |`);
  if (summary.startupSeconds !== undefined) console.log(`| \`npm start\` to ready | ${summary.startupSeconds} s |`);
  console.log('\n(also in .local/bench/latest.json)');
}

/** Every event of the run has a SENT ledger row and one email: a fast wrong answer is no answer. */
async function verify(db: DynamoDBDocumentClient, ledger: string, prefix: string, sesEndpoint: string, expected: number): Promise<void> {
  let sent = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: ledger,
        FilterExpression: 'begins_with(noticeId, :prefix) AND outcome = :sent',
        ExpressionAttributeValues: { ':prefix': prefix, ':sent': 'SENT' },
        ExclusiveStartKey: startKey,
      }),
    );
    sent += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const mails = (await sentMail(sesEndpoint)).length;
  if (sent !== expected || mails !== expected) {
    throw new Error(`${prefix}: expected ${expected} SENT rows and emails, found ${sent} rows and ${mails} emails`);
  }
}

/**
 * Starts `processes` raw-baseline worker processes on one queue; `ready` once each has warm
 * clients and polls, `done` once together they processed `expected` messages (then they are ended).
 */
function startBaseline(processes: number, expected: number, config: RawBaselineConfig): { ready: Promise<void>; done: Promise<void> } {
  let processed = 0;
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const children = Array.from({ length: processes }, () =>
    spawn(path.join('node_modules', '.bin', 'tsx'), ['bench/raw-baseline-process.ts', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const ready = Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          createInterface({ input: child.stdout }).on('line', (line) => {
            if (line === 'ready') resolve();
            const count = /^processed (\d+)$/.exec(line)?.[1];
            if (count === undefined) return;
            processed += Number(count);
            if (processed >= expected) {
              for (const other of children) other.kill();
              finish();
            }
          });
          child.once('exit', (code, signal) => {
            if (signal === null && code !== 0) fail(new Error(`a raw baseline process failed (exit ${code})`));
          });
        }),
    ),
  ).then(() => undefined);
  return { ready: Promise.race([ready, done]), done };
}

/**
 * Runs `test/integration/notify-round-trips.test.ts` (a notice's requests grouped into
 * sequential round trips, at most 6), after the cold starts so its emulators do not load them.
 */
async function roundTrips(): Promise<void> {
  const file = 'test/integration/notify-round-trips.test.ts';
  console.log(`round trips per notice (${file}):`);
  const code = await new Promise<number | null>((resolve, reject) => {
    // This Node (the pinned 24), not whatever `node` the vitest shim's shebang finds.
    const child = spawn(process.execPath, [path.join('node_modules', 'vitest', 'vitest.mjs'), 'run', file], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    console.error(`round trips: ${file} failed (exit ${code})`);
    process.exitCode = 1;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
