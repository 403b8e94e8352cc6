// `npm run bench:dynamodb-faults`: test/integration/dynamodb-faults.test.ts at bench size (300
// purchases, 20 directory samples, 3,000 apologies; `--apologies N`, `--seed S`), through the
// fault proxy in front of DynamoDB Local; prints what each run saw (requests, throttles, 500s,
// stalls, redeliveries, seconds, and the campaign's largest one-second window against the
// allowed rate) from .local/bench/dynamodb-faults.json. See bench/README.md, "DynamoDB faults".
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { apologies: { type: 'string', default: '3000' }, seed: { type: 'string', default: 'issue-18' } } });

const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', '--project', 'integration', 'test/integration/dynamodb-faults.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, DYNAMODB_FAULTS_BENCH: '1', DYNAMODB_FAULTS_APOLOGIES: values.apologies, DYNAMODB_FAULTS_SEED: values.seed },
});
const figures = JSON.parse(readFileSync('.local/bench/dynamodb-faults.json', 'utf8')) as {
  runs: Record<string, { counts: { requests: number; throttles: number; faults: Record<string, number> }; seconds: number; redeliveries: number; [more: string]: unknown }>;
};
console.log(`\nDynamoDB faults at bench size, seed ${values.seed}, ${((Date.now() - started) / 1000).toFixed(0)} s wall, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const [name, r] of Object.entries(figures.runs)) {
  const f = r.counts.faults;
  console.log(
    `  ${name}: ${r.counts.requests} requests, ${r.counts.throttles} throttled, ${f.INTERNAL_SERVER_ERROR} 500s, ${(f.STALLED_UNSENT ?? 0) + (f.STALLED_APPLIED ?? 0)} stalled ` +
      `(${f.STALLED_APPLIED} after applying), ${r.redeliveries} redelivered, ${r.seconds.toFixed(1)} s` +
      (r.largestOneSecondWindow === undefined ? '' : `; largest one-second window ${String(r.largestOneSecondWindow)} of ${String(r.allowedPerSecond)}/s allowed; claims ${JSON.stringify(r.claims)}`),
  );
}
process.exitCode = run.status ?? 1;
