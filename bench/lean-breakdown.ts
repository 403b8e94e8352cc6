// Where a function's cold init goes beyond its bare handler's, and what the link guard costs on
// the first email (which `npm run bench:lean` does not see: it only imports the bundle).
//
//   npx tsx bench/lean-breakdown.ts                     # notify and the apology sender, 15 rounds
//   npx tsx bench/lean-breakdown.ts --functions notify --runs 25 --no-synth   # reuses .local/cdk.out
//
// Experiments only: the variants alias the link guard's libraries to empty stubs (the guard then
// finds nothing), to see what their bytes and module-scope work cost. Nothing here is deployed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { synthesize } from '@registry-notices/local-stack';
import { HOUSE_BUNDLING } from '../lib/constructs/house-function';
import { ADDRESS_HASH_KEY_ENV, bundledClients, writeBareHandler } from './bare-handlers';
import { constructEntries } from './function-entries';
import { functionBundles, sameBytes, type FunctionBundle } from './function-bundles';
import { coldStartOnce } from './cold-init';
import { bundleWith, esbuildOptionsFor } from './house-esbuild';
import { startInitKms } from './kms-at-init';
import { median } from './stats';
import { benchTempDir } from './temp-dir';

const { values } = parseArgs({
  options: {
    functions: { type: 'string', default: 'notify,apology-sender' },
    runs: { type: 'string', default: '15' },
    'no-synth': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const CHILD = path.join(import.meta.dirname, 'breakdown-child.mjs');
const OUT = path.resolve('.local/bench/breakdown');

// Stand-ins with the shapes the link guard calls, doing nothing.
const STUBS = {
  htmlparser2: 'export class Parser { constructor() {} end() {} }\n',
  'linkify-it': 'export default class LinkifyIt { tlds() { return this; } match() { return null; } }\n',
  tlds: 'export default [];\n',
} as const;
type Stubbed = keyof typeof STUBS;
const VARIANTS: Record<string, readonly Stubbed[]> = {
  'as deployed': [],
  'without tlds (linkify-it default list)': ['tlds'],
  'without linkify-it + tlds': ['linkify-it', 'tlds'],
  'without htmlparser2 (+ entities)': ['htmlparser2'],
  'without all three': ['htmlparser2', 'linkify-it', 'tlds'],
};

interface Sample {
  readonly initMs: number;
  readonly initCpuMs: number;
  readonly firstUseMs?: number;
  readonly firstUseCpuMs?: number;
}
interface Subject {
  readonly name: string;
  readonly file: string;
  readonly handlerExport: string;
  readonly fn: FunctionBundle;
}

async function main(): Promise<void> {
  const projectDir = process.cwd();
  const work = benchTempDir('bench-breakdown-');
  mkdirSync(path.join(OUT, 'stubs'), { recursive: true });
  const alias = (stubbed: readonly Stubbed[]): Record<string, string> =>
    Object.fromEntries(
      stubbed.map((name) => {
        const file = path.join(OUT, 'stubs', `${name}.mjs`);
        writeFileSync(file, STUBS[name]);
        return [name, file];
      }),
    );
  const house = esbuildOptionsFor(HOUSE_BUNDLING, projectDir);
  const cloudAssembly = values['no-synth'] ? '.local/cdk.out' : await synthesize({ outdir: path.join(work, 'cdk.out') });
  const deployed = functionBundles(cloudAssembly);
  const wanted = new Set(values.functions.split(','));
  const load = [loadavg()[0]];

  for (const { name, entry } of (await constructEntries(projectDir)).filter((e) => wanted.has(e.name))) {
    const rebuilt = await bundleWith(house, entry, path.join(work, name));
    const fn = deployed.find((d) => sameBytes(d.file, rebuilt.file));
    if (!fn) throw new Error(`${name}: the rebuilt bundle matches no function of ${cloudAssembly} (stale? try without --no-synth)`);
    // A function that derives its address-hash key at init: its bare handler makes the same KMS call, so the variants differ in code only.
    const macAtInit = ADDRESS_HASH_KEY_ENV in fn.environment;
    const bare = await bundleWith(house, writeBareHandler(path.join(OUT, 'bare'), name, bundledClients(rebuilt.metafile, projectDir), { macAtInit }), path.join(work, `${name}.bare`));
    const subjects: (Subject & { bytes: number })[] = [{ name: 'bare handler', file: bare.file, handlerExport: 'handler', fn, bytes: bare.bytes }];
    for (const [variant, stubbed] of Object.entries(VARIANTS)) {
      const built = stubbed.length === 0 ? rebuilt : await bundleWith({ ...house, alias: { ...house.alias, ...alias(stubbed) } }, entry, path.join(work, `${name}.${subjects.length}`));
      subjects.push({ name: variant, file: built.file, handlerExport: fn.handlerExport, fn, bytes: built.bytes });
    }
    const times = await sideBySide(subjects, false);
    const base = times.get('bare handler')!;
    console.log(`\n${name}: cold init, ${RUNS} rounds side by side (median; × the bare handler's median; median of per-round ratios)`);
    console.log('| variant | bundle (kB) | wall (ms) | × bare | per-round | main-thread CPU (ms) | × bare |');
    console.log('|---|---|---|---|---|---|---|');
    for (const s of subjects) {
      const t = times.get(s.name)!;
      const wall = median(t.map((x) => x.initMs));
      const cpu = median(t.map((x) => x.initCpuMs));
      const perRound = median(t.map((x, i) => x.initMs / base[i]!.initMs));
      console.log(
        `| ${s.name} | ${(s.bytes / 1000).toFixed(1)} | ${wall.toFixed(1)} | ${(wall / median(base.map((x) => x.initMs))).toFixed(2)} | ${perRound.toFixed(2)} | ${cpu.toFixed(1)} | ${(cpu / median(base.map((x) => x.initCpuMs))).toFixed(2)} |`,
      );
    }
    load.push(loadavg()[0]);
  }

  // The link guard on a first email: a module that renders a purchase notice and checks it, as
  // notify does for each notice; the same with the renderer only. Import, then the first call.
  const fn = deployed[0]!;
  const guardEntry = (check: boolean): string => {
    const file = path.join(OUT, `first-email${check ? '' : '-render-only'}.ts`);
    const lambdas = path.join(projectDir, 'lambdas');
    writeFileSync(
      file,
      [
        '// Generated by bench/lean-breakdown.ts: render a purchase notice and (unless render-only) run the link guard on it.',
        `import { buildNoticeLinks, unexpectedLinks } from '${path.join(lambdas, 'mail/links')}';`,
        `import { renderPurchaseNotice } from '${path.join(lambdas, 'notices/render-purchase-notice')}';`,
        "const links = buildNoticeLinks({ registryBaseUrl: 'https://shop.example.com/registry', helpUrl: 'https://shop.example.com/help' }, 'reg-2024-000123', 'https://abc123.lambda-url.eu-west-1.on.aws/?token=eyJ2IjoxfQ.BwcH');",
        'export const handler = (): number => 0;',
        'export const firstUse = (): unknown => {',
        "  const email = renderPurchaseNotice({ locale: 'en', itemTitle: 'Stroller', quantity: 1, links, shopName: 'Example Shop', purchaserName: 'Ann Example', giftMessage: 'Congratulations! See you on the 12th.' });",
        check ? '  const found = unexpectedLinks(email, links);\n  if (found.length > 0) throw new Error(`the guard found ${found.join(", ")}`);\n  return found;' : '  return email;',
        '};',
        '',
      ].join('\n'),
    );
    return file;
  };
  const guardSubjects: Subject[] = [];
  guardSubjects.push({ name: 'render only', file: (await bundleWith(house, guardEntry(false), path.join(work, 'render-only'))).file, handlerExport: 'handler', fn });
  guardSubjects.push({ name: 'render + link guard', file: (await bundleWith(house, guardEntry(true), path.join(work, 'guard'))).file, handlerExport: 'handler', fn });
  const guardTimes = await sideBySide(guardSubjects, true);
  console.log(`\nthe link guard on a first email: import, then one render (+ check), ${RUNS} fresh processes each (medians)`);
  console.log('| module | import wall (ms) | import CPU (ms) | first call wall (ms) | first call CPU (ms) |');
  console.log('|---|---|---|---|---|');
  for (const s of guardSubjects) {
    const t = guardTimes.get(s.name)!;
    const m = (key: keyof Sample): string => median(t.map((x) => x[key] ?? Number.NaN)).toFixed(1);
    console.log(`| ${s.name} | ${m('initMs')} | ${m('initCpuMs')} | ${m('firstUseMs')} | ${m('firstUseCpuMs')} |`);
  }
  load.push(loadavg()[0]);
  console.log(`\nload average (1 min) at the start and after each table: ${load.map((l) => l?.toFixed(2)).join(', ')}; Node ${process.version}`);
}

/** Each subject `RUNS` times in fresh processes, taking turns in every round (the first rotates). */
async function sideBySide(subjects: readonly Subject[], firstUse: boolean): Promise<Map<string, Sample[]>> {
  const times = new Map(subjects.map((s) => [s.name, [] as Sample[]]));
  for (let round = 0; round < RUNS; round += 1) {
    for (let i = 0; i < subjects.length; i += 1) {
      const subject = subjects[(round + i) % subjects.length]!;
      times.get(subject.name)!.push(await once(subject, firstUse));
    }
  }
  return times;
}

function once(subject: Subject, firstUse: boolean): Promise<Sample> {
  const { fn } = subject;
  const environment = ADDRESS_HASH_KEY_ENV in fn.environment ? { ...fn.environment, ...initKms.environment } : fn.environment;
  return coldStartOnce<Sample>(
    { name: subject.name, file: subject.file, handlerExport: subject.handlerExport, environment, memoryMb: fn.memoryMb, runtime: fn.runtime },
    CHILD,
    firstUse ? ['first-use'] : [],
  );
}

// The local KMS (an HMAC key as the address-hash key) for the functions that call it at init.
const initKms = await startInitKms();
try {
  await main();
} finally {
  await initKms.stop();
}
