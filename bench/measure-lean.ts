import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HOUSE_BUNDLING } from '../lib/constructs/house-function';
import { ADDRESS_HASH_KEY_ENV, bundledClients, writeBareHandler } from './bare-handlers';
import { measureColdInit, type InitSubject } from './cold-init';
import { constructEntries } from './function-entries';
import { functionBundles, sameBytes } from './function-bundles';
import { bundleWith, duplicatePackages, esbuildOptionsFor, sdkShare } from './house-esbuild';
import { startInitKms } from './kms-at-init';
import { median } from './stats';
import { benchTempDir } from './temp-dir';

/** The targets of issue 15: cold init at most 1.2× the function's bare handler; our code and non-SDK libraries at most 250 KB. */
export const LEAN_TARGETS = { coldInit: 1.2, ownAndLibsBytes: 250_000 } as const;

/** One function's figures, beside its own bare handler's. */
export interface LeanRow {
  readonly name: string;
  /** The handler module, relative to the project. */
  readonly entry: string;
  readonly logicalId: string;
  /** The SDK client classes its bundle creates, which its bare handler creates too. */
  readonly clients: readonly string[];
  readonly bytes: number;
  readonly sdkBytes: number;
  /** Everything that is not the SDK: our code, Middy, Powertools, zod, htmlparser2... */
  readonly ownAndLibsBytes: number;
  /** Of that, our own code (inputs outside node_modules). */
  readonly ownBytes: number;
  readonly bareBytes: number;
  readonly bareSdkBytes: number;
  readonly initMedianMs: number;
  readonly bareInitMedianMs: number;
  /** Median cold init over the bare handler's. */
  readonly initRatio: number;
  /** The median of the per-round ratios (each round starts every bundle once, the function and its bare handler side by side). */
  readonly initRoundRatio: number;
  /**
   * For a function that derives its address-hash key at init (one KMS GenerateMac, counted in
   * its cold init): its bare handler with the same one call at init, beside the plain one.
   */
  readonly bareWithKms?: {
    readonly bytes: number;
    readonly initMedianMs: number;
    /** Median cold init over this bare handler's: the code-weight comparison with the round trip on both sides. */
    readonly initRatio: number;
    readonly initRoundRatio: number;
  };
  /** The largest parts of own + libs, bytes by package. */
  readonly topOwnAndLibs: readonly (readonly [string, number])[];
  /** Packages counted as SDK though outside its scopes (only SDK code imports them). */
  readonly sdkByImport: readonly string[];
  /** Packages bundled twice (two versions). */
  readonly duplicates: readonly string[];
  /** The targets it misses, in words; empty when it meets both. */
  readonly over: readonly string[];
}

export interface LeanReport {
  readonly node: string;
  readonly initRuns: number;
  readonly rows: readonly LeanRow[];
}

/**
 * Each function's bundle (its cdk.out asset) next to its own bare handler: a generated module
 * that creates the same SDK clients the way the function does (our factories in
 * `lambdas/platform/aws/`) and does nothing else, bundled with the same esbuild options
 * (HouseFunction's, translated for the esbuild API and checked: each function's entry, found
 * through the constructs' `*_ENTRY` exports, rebuilt that way must equal its cdk.out asset
 * byte for byte). The SDK and the rest are split from the esbuild metafile. Metafiles go to
 * `<outDir>/bundles/<name>.meta.json` and `<name>.bare.meta.json`, the bare modules to `<outDir>/bare/`.
 */
export async function measureLean(options: { projectDir: string; cloudAssembly: string; initRuns: number; outDir: string }): Promise<LeanReport> {
  const { projectDir, cloudAssembly, initRuns, outDir } = options;
  const work = benchTempDir('bench-bundles-');
  const metaDir = path.join(outDir, 'bundles');
  const bareDir = path.join(outDir, 'bare');
  rmSync(bareDir, { recursive: true, force: true });
  mkdirSync(metaDir, { recursive: true });
  const house = esbuildOptionsFor(HOUSE_BUNDLING, projectDir);

  const deployed = functionBundles(cloudAssembly);
  const entries = await constructEntries(projectDir);
  const measured: {
    row: Omit<LeanRow, 'initMedianMs' | 'bareInitMedianMs' | 'initRatio' | 'initRoundRatio' | 'over' | 'bareWithKms'>;
    fn: InitSubject;
    bare: InitSubject;
    bareKms?: { subject: InitSubject; bytes: number };
  }[] = [];
  for (const { name, entry } of entries) {
    const rebuilt = await bundleWith(house, entry, path.join(work, name));
    const match = deployed.find((d) => sameBytes(d.file, rebuilt.file));
    const relativeEntry = path.relative(projectDir, entry);
    if (!match) throw new Error(`${relativeEntry} bundled with the house options matches no function bundle of ${cloudAssembly}: is it stale?`);
    const clients = bundledClients(rebuilt.metafile, projectDir);
    const bareBuilt = await bundleWith(house, writeBareHandler(bareDir, name, clients), path.join(work, `${name}.bare`));
    writeFileSync(path.join(metaDir, `${name}.meta.json`), JSON.stringify(rebuilt.metafile));
    writeFileSync(path.join(metaDir, `${name}.bare.meta.json`), JSON.stringify(bareBuilt.metafile));
    const share = sdkShare(rebuilt.metafile);
    const bareShare = sdkShare(bareBuilt.metafile);
    // The bare handler starts with the function's environment and memory: the same settings for the same clients.
    const common = { environment: match.environment, memoryMb: match.memoryMb, runtime: match.runtime };
    // A function that derives its address-hash key at init gets a second bare handler making the same KMS call.
    const kmsAtInit = ADDRESS_HASH_KEY_ENV in match.environment;
    const bareKmsBuilt = kmsAtInit ? await bundleWith(house, writeBareHandler(bareDir, name, clients, { macAtInit: true }), path.join(work, `${name}.bare-kms`)) : undefined;
    if (bareKmsBuilt) writeFileSync(path.join(metaDir, `${name}.bare-kms.meta.json`), JSON.stringify(bareKmsBuilt.metafile));
    measured.push({
      row: {
        name,
        entry: relativeEntry,
        logicalId: match.logicalId,
        clients: clients.map((c) => c.className),
        bytes: match.bytes,
        sdkBytes: share.sdk,
        ownAndLibsBytes: share.ownAndLibs,
        ownBytes: share.own,
        bareBytes: bareBuilt.bytes,
        bareSdkBytes: bareShare.sdk,
        topOwnAndLibs: share.ownAndLibsByPackage.slice(0, 10),
        sdkByImport: share.sdkByImport,
        duplicates: duplicatePackages(rebuilt.metafile),
      },
      fn: { name, file: match.file, handlerExport: match.handlerExport, ...common },
      bare: { name: `${name} (bare)`, file: bareBuilt.file, handlerExport: 'handler', ...common },
      ...(bareKmsBuilt ? { bareKms: { subject: { name: `${name} (bare + KMS)`, file: bareKmsBuilt.file, handlerExport: 'handler', ...common }, bytes: bareKmsBuilt.bytes } } : {}),
    });
  }
  const unnamed = deployed.filter((d) => !measured.some((m) => m.row.logicalId === d.logicalId));
  if (unnamed.length > 0) {
    throw new Error(`no *_ENTRY export of lib/ rebuilds to the bundle of ${unnamed.map((d) => d.logicalId).join(', ')}: export its construct's default entry`);
  }

  // Functions that call KMS at init reach the local emulator, with an HMAC key of its own, as
  // the stack's address-hash key; their bare handlers start with the same variables.
  const kms = measured.some((m) => m.bareKms) ? await startInitKms() : undefined;
  const withKms = (subject: InitSubject): InitSubject => (kms ? { ...subject, environment: { ...subject.environment, ...kms.environment } } : subject);
  // Each function beside its bare handler(s), so a busy moment hits them alike.
  let times: Map<string, number[]>;
  try {
    times = await measureColdInit(
      measured.flatMap((m) => (m.bareKms ? [m.fn, m.bare, m.bareKms.subject].map(withKms) : [m.fn, m.bare])),
      initRuns,
    );
  } finally {
    await kms?.stop();
  }
  const rows = measured.map(({ row, fn, bare, bareKms }): LeanRow => {
    const own = times.get(fn.name)!;
    const base = times.get(bare.name)!;
    const baseKms = bareKms ? times.get(bareKms.subject.name)! : undefined;
    const initRatio = median(own) / median(base);
    const over = [
      initRatio > LEAN_TARGETS.coldInit ? `cold init ${initRatio.toFixed(2)}× its bare handler (target ≤ ${LEAN_TARGETS.coldInit}×)` : '',
      row.ownAndLibsBytes > LEAN_TARGETS.ownAndLibsBytes ? `own code + libraries ${kb(row.ownAndLibsBytes)} kB (target ≤ ${kb(LEAN_TARGETS.ownAndLibsBytes)} kB)` : '',
    ].filter(Boolean);
    return {
      ...row,
      initMedianMs: median(own),
      bareInitMedianMs: median(base),
      initRatio,
      initRoundRatio: median(own.map((ms, round) => ms / base[round]!)),
      ...(bareKms && baseKms
        ? {
            bareWithKms: {
              bytes: bareKms.bytes,
              initMedianMs: median(baseKms),
              initRatio: median(own) / median(baseKms),
              initRoundRatio: median(own.map((ms, round) => ms / baseKms[round]!)),
            },
          }
        : {}),
      over,
    };
  });
  rmSync(work, { recursive: true, force: true });
  return { node: process.version, initRuns, rows };
}

/** Whether every function meets both targets. */
export function leanTargetsMet(report: LeanReport): boolean {
  return report.rows.every((r) => r.over.length === 0);
}

/** The report as the Markdown table bench/README.md shows, then what each function's own + libs are made of. */
export function leanTable(report: LeanReport): string {
  const lines = [
    `| function | SDK clients (its bare handler's too) | bundle (kB) | SDK (kB) | own + libs (kB) | of which our code (kB) | bare handler (kB) | cold init, median of ${report.initRuns} (ms) | bare (ms) | × bare | median of per-round ratios | bare + the same KMS call (ms) | × bare + KMS | per-round |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.rows.map((r) => {
      const k = r.bareWithKms;
      const withKms = k ? `${k.initMedianMs.toFixed(1)} | ${k.initRatio.toFixed(2)} | ${k.initRoundRatio.toFixed(2)}` : '— | — | —';
      return `| ${r.name} | ${r.clients.map(shortClient).join(', ')} | ${kb(r.bytes)} | ${kb(r.sdkBytes)} | ${kb(r.ownAndLibsBytes)} | ${kb(r.ownBytes)} | ${kb(r.bareBytes)} | ${r.initMedianMs.toFixed(1)} | ${r.bareInitMedianMs.toFixed(1)} | ${r.initRatio.toFixed(2)} | ${r.initRoundRatio.toFixed(2)} | ${withKms} |`;
    }),
    '',
    `targets: cold init ≤ ${LEAN_TARGETS.coldInit} × the function's bare handler, own code + non-SDK libraries ≤ ${kb(LEAN_TARGETS.ownAndLibsBytes)} kB (1 kB = 1000 B; Node ${report.node})`,
    "cold init of a function with ADDRESS_HASH_KEY_ARN includes its one KMS GenerateMac at init (local emulator); × bare compares it with the plain bare handler (the target's figure), × bare + KMS with a bare handler making the same call",
  ];
  for (const row of report.rows) {
    const twice = row.duplicates.length ? `; bundled twice: ${row.duplicates.join(', ')}` : '';
    lines.push(
      `${row.name}: ${row.over.length ? `OVER: ${row.over.join('; ')}` : 'within both targets'}; own + libs: ${row.topOwnAndLibs.map(([p, b]) => `${p} ${kb(b)}`).join(', ')}${twice}`,
    );
  }
  return lines.join('\n');
}

function kb(bytes: number): string {
  return (bytes / 1000).toFixed(1);
}

/** `SESv2Client` → `SESv2`, `DynamoDBDocumentClient` → `DynamoDBDocument`. */
function shortClient(className: string): string {
  return className.replace(/Client$/, '');
}
