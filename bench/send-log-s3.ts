// `npm run bench:send-log`: a large send log imported from S3 in bounded memory. See bench/README.md.
//   npx tsx bench/send-log-s3.ts [--lines 100000,1000000]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbImportProgress } from '../lambdas/imports/tables/import-progress';
import { documentClientOf } from '../lambdas/platform/dynamodb/document';
import { S3ObjectStore } from '../lambdas/platform/object-store/s3-object-store';
import { dynamoDb } from '../lambdas/platform/clients/dynamodb';
import { sendLogLineHandler } from '../lambdas/imports/send-log/send-log-lines';
import { MAX_SEND_LOG_LINE_BYTES } from '../lambdas/audit/send-log-line';
import type { ImportedNoticeStore } from '../lambdas/imports/ports/imported-notices';
import type { ImportMessage } from '../lambdas/imports/s3-import/import-message';
import { processImportMessage } from '../lambdas/imports/s3-import/process-import';
import { SEND_LOG_PREFIX } from '../lambdas/imports/s3-import/routes';
import { emulatorEnv, LOCAL_AWS_REGION, localClients, startEmulators } from '@registry-notices/local-stack';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000,1000000' },
    child: { type: 'boolean', default: false },
    bucket: { type: 'string' },
    key: { type: 'string' },
    etag: { type: 'string' },
    table: { type: 'string' },
  },
});

/** What one import did, as the child process measured it. */
interface ChildResult {
  readonly lines: number;
  readonly accepted: number;
  readonly refused: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly peakHeapMiB: number;
}

/** Line `i` of a generated send log: every 1000th is refused (a sentAt without its zone). */
function line(i: number): string {
  return JSON.stringify({
    source: 'bench-crm',
    sourceNoticeId: `n-${i}`,
    sentAt: i % 1000 === 999 ? '2025-03-01T09:00:00' : new Date(Date.UTC(2025, 2, 1) + i * 1000).toISOString(),
    recipientAddress: `person.${i}@example.com`,
    registryId: `r-${i % 50_000}`,
    purchaseId: `p-${i}`,
    itemId: 'i-gift',
    template: 'gift-bought',
    locale: i % 3 === 0 ? 'de' : 'en',
  });
}

async function writeLog(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < lines; i += 1) {
    // Backpressure: the generated log never sits in memory.
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The child: the import function's own code (S3 reader, import engine, send-log line handler,
 * progress in DynamoDB Local, chunks of 500,000 lines with continuations) in a process of its
 * own, so its peak memory is the import's alone (fauxqs holds the object in the parent). Ledger
 * writes are counted instead of sent: DynamoDB Local does a few hundred a second on this box,
 * which would measure the emulator, not the memory bound.
 */
async function child(): Promise<void> {
  const { bucket, key, etag, table } = values;
  if (!bucket || !key || !etag || !table) throw new Error('--child needs --bucket, --key, --etag and --table');
  let accepted = 0;
  const store: ImportedNoticeStore = {
    putIfAbsent: () => {
      accepted += 1;
      return Promise.resolve({ outcome: 'written' as const });
    },
    recordSourceDays: () => Promise.resolve(),
  };
  const queue: ImportMessage[] = [
    { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key, eTag: etag } } }] } as unknown as ImportMessage,
  ];
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
  const started = performance.now();
  const deps = {
    objects: new S3ObjectStore(),
    // The function's own client: the emulators' endpoints and keys come in the environment.
    progress: new DynamoDbImportProgress({ client: documentClientOf(dynamoDb), tableName: table }),
    routes: [{ prefix: SEND_LOG_PREFIX, handler: sendLogLineHandler(store, () => new Date()), maxLineBytes: MAX_SEND_LOG_LINE_BYTES }],
    // The bench's rows name no erased customer: nothing to ask.
    evidenceDrain: { request: () => Promise.resolve() },
    continueLater: (message: ImportMessage) => {
      queue.push(message);
      return Promise.resolve();
    },
    now: () => new Date(),
    // As deployed (lambdas/imports/s3-import/pipeline.ts); time never runs short here.
    settings: { concurrency: 32, safetyMs: 30_000, maxLinesPerChunk: 500_000, reportPrefix: 'reports/' },
  };
  let chunks = 0;
  let report: { lines: number; refused: number } | undefined;
  for (let message = queue.shift(); message; message = queue.shift()) {
    for (const result of await processImportMessage(message, deps, () => 300_000)) {
      if (result.kind !== 'CHUNK') throw new Error(`import stopped: ${JSON.stringify(result)}`);
      chunks += 1;
      const item = await deps.progress.get(result.importId);
      report = item?.report;
    }
  }
  clearInterval(sampler);
  const result: ChildResult = {
    lines: report?.lines ?? 0,
    accepted,
    refused: report?.refused ?? 0,
    chunks,
    seconds: (performance.now() - started) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB: peakHeap / 1024 / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function runChild(env: Record<string, string>, args: string[]): Promise<ChildResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the import process exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

async function main(): Promise<void> {
  const sizes = values.lines.split(',').map(Number);
  const emulators = await startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 } });
  const clients = localClients(emulators.endpoints, LOCAL_AWS_REGION);
  const dir = benchTempDir('bench-send-log-');
  const rows: { lines: number; mb: number; result: ChildResult }[] = [];
  try {
    const bucket = 'bench-imports';
    const table = 'bench-import-progress';
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.dynamodb.send(
      new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'importId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'importId', KeyType: 'HASH' }] }),
    );
    for (const lines of sizes) {
      const file = path.join(dir, `log-${lines}.jsonl`);
      await writeLog(file, lines);
      const key = `${SEND_LOG_PREFIX}bench-${lines}.jsonl`;
      const size = statSync(file).size;
      const put = await new Upload({ client: clients.s3, params: { Bucket: bucket, Key: key, Body: createReadStream(file) }, partSize: 8 * 1024 * 1024, queueSize: 4 }).done();
      rmSync(file);
      const result = await runChild(emulatorEnv(emulators.endpoints), ['--bucket', bucket, '--key', key, '--etag', (put.ETag ?? '').replaceAll('"', ''), '--table', table]);
      if (result.lines !== lines || result.refused !== Math.floor(lines / 1000) || result.accepted !== lines - result.refused) {
        throw new Error(`${lines} lines: the import reported ${JSON.stringify(result)}`);
      }
      rows.push({ lines, mb: size / 1e6, result });
      console.log(`${lines} lines (${(size / 1e6).toFixed(0)} MB): ${result.seconds.toFixed(1)} s, peak RSS ${result.maxRssMiB.toFixed(0)} MiB, peak heap ${result.peakHeapMiB.toFixed(0)} MiB, ${result.chunks} chunks`);
    }
  } finally {
    clients.destroy();
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n| lines | object | chunks | time | lines/s | peak RSS | peak heap |\n|---|---|---|---|---|---|---|`);
  for (const { lines, mb, result } of rows) {
    console.log(
      `| ${lines.toLocaleString('en')} | ${mb.toFixed(0)} MB | ${result.chunks} | ${result.seconds.toFixed(1)} s | ${Math.round(lines / result.seconds).toLocaleString('en')} | ${result.maxRssMiB.toFixed(0)} MiB | ${result.peakHeapMiB.toFixed(0)} MiB |`,
    );
  }
  if (rows.length > 1) console.log(`\npeak RSS, largest / smallest: ${(rows.at(-1)!.result.maxRssMiB / rows[0]!.result.maxRssMiB).toFixed(2)} for ${(rows.at(-1)!.lines / rows[0]!.lines).toFixed(0)}× the lines; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
}

(values.child ? child() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
