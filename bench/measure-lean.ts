import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOUSE_BUNDLING } from '../lib/constructs/house-function';
import { measureColdInit, type InitSubject } from './cold-init';
import { functionBundles, sameBytes } from './function-bundles';
import { bundleWith, bytesByPackage, duplicatePackages, esbuildOptionsFor } from './house-esbuild';
import { median } from './stats';

/** The targets of issue 7: each function at most this many times the bare SES handler. */
export const LEAN_TARGETS = { bundle: 1.25, coldInit: 1.2 } as const;

/** One bundle's figures, beside the bare SES handler's. */
export interface LeanRow {
  readonly name: string;
  readonly bytes: number;
  readonly sizeRatio: number;
  readonly initMedianMs: number;
  readonly initRatio: number;
  /** The median of the per-round ratios (each round starts every bundle once). */
  readonly initRoundRatio: number;
  /** Largest contributors from the esbuild metafile, bytes by package. */
  readonly topPackages: readonly (readonly [string, number])[];
  /** Packages bundled twice (two versions). */
  readonly duplicates: readonly string[];
  /** A reference row, not a function of the stack. */
  readonly reference?: boolean;
}

export interface LeanReport {
  readonly node: string;
  readonly initRuns: number;
  readonly rows: readonly LeanRow[];
}

/**
 * Each function's bundle (the cdk.out asset) and cold init next to a bare SESv2Client
 * handler bundled with the same esbuild options (HouseFunction's, translated for the esbuild
 * API and checked: each function rebuilt that way must equal its cdk.out asset byte for byte).
 * The bare handler keeps the SDK's default credential chain, as a plain `new SESv2Client({})`
 * ships; a second reference row bundles it with our credential alias too.
 * Metafiles go to `<outDir>/bundles/<name>.meta.json`.
 */
export async function measureLean(options: { projectDir: string; cloudAssembly: string; initRuns: number; outDir: string }): Promise<LeanReport> {
  const { projectDir, cloudAssembly, initRuns, outDir } = options;
  const work = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  const metaDir = path.join(outDir, 'bundles');
  mkdirSync(metaDir, { recursive: true });
  const house = esbuildOptionsFor(HOUSE_BUNDLING, projectDir);
  const bareEntry = path.join(projectDir, 'bench', 'bare-ses-handler.ts');

  const bare = await bundleWith({ ...house, alias: {} }, bareEntry, path.join(work, 'bare-ses'));
  const bareEnvCredentials = await bundleWith(house, bareEntry, path.join(work, 'bare-ses-env-credentials'));
  writeFileSync(path.join(metaDir, 'bare-ses.meta.json'), JSON.stringify(bare.metafile));

  // Name each cdk.out bundle after the lambdas/<fn>/handler.ts that rebuilds to the same bytes.
  const deployed = functionBundles(cloudAssembly);
  const named = new Map<string, { name: string; packages: [string, number][]; duplicates: string[] }>();
  const lambdasDir = path.join(projectDir, 'lambdas');
  for (const fn of readdirSync(lambdasDir, { withFileTypes: true })) {
    const entry = path.join(lambdasDir, fn.name, 'handler.ts');
    if (!fn.isDirectory() || !existsSync(entry)) continue;
    const rebuilt = await bundleWith(house, entry, path.join(work, fn.name));
    const match = deployed.find((d) => sameBytes(d.file, rebuilt.file));
    if (!match) throw new Error(`lambdas/${fn.name}/handler.ts bundled with the house options matches no function bundle of ${cloudAssembly}: is it stale?`);
    named.set(match.logicalId, { name: fn.name, packages: bytesByPackage(rebuilt.metafile), duplicates: duplicatePackages(rebuilt.metafile) });
    writeFileSync(path.join(metaDir, `${fn.name}.meta.json`), JSON.stringify(rebuilt.metafile));
  }

  const houseVariables = Object.fromEntries(
    Object.entries(deployed[0]?.environment ?? {}).filter(([key]) => ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'LOG_LEVEL', 'NODE_OPTIONS'].includes(key)),
  );
  const runtime = deployed[0]?.runtime ?? 'nodejs24.x';
  const subjects: (InitSubject & { bytes: number; packages: [string, number][]; duplicates?: string[]; reference?: boolean })[] = [
    { name: 'bare SESv2Client handler', file: bare.file, handlerExport: 'handler', environment: houseVariables, memoryMb: 512, runtime, bytes: bare.bytes, packages: bytesByPackage(bare.metafile) },
    ...deployed.map((d) => ({
      name: named.get(d.logicalId)?.name ?? d.logicalId,
      file: d.file,
      handlerExport: d.handlerExport,
      environment: d.environment,
      memoryMb: d.memoryMb,
      runtime: d.runtime,
      bytes: d.bytes,
      packages: named.get(d.logicalId)?.packages ?? [],
      duplicates: named.get(d.logicalId)?.duplicates ?? [],
    })),
    {
      name: 'bare SESv2Client handler, env credentials alias',
      file: bareEnvCredentials.file,
      handlerExport: 'handler',
      environment: houseVariables,
      memoryMb: 512,
      runtime,
      bytes: bareEnvCredentials.bytes,
      packages: bytesByPackage(bareEnvCredentials.metafile),
      reference: true,
    },
  ];

  const times = await measureColdInit(subjects, initRuns);
  const bareTimes = times.get(subjects[0]!.name)!;
  const rows = subjects.map((s): LeanRow => {
    const own = times.get(s.name)!;
    return {
      name: s.name,
      bytes: s.bytes,
      sizeRatio: s.bytes / bare.bytes,
      initMedianMs: median(own),
      initRatio: median(own) / median(bareTimes),
      initRoundRatio: median(own.map((ms, round) => ms / bareTimes[round]!)),
      topPackages: s.packages.slice(0, 8),
      duplicates: s.duplicates ?? [],
      ...(s.reference ? { reference: true } : {}),
    };
  });
  return { node: process.version, initRuns, rows };
}

/** The report as the Markdown table bench/README.md shows, then each function's largest parts. */
export function leanTable(report: LeanReport): string {
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
  const lines = [
    `| bundle | size (KiB) | × bare | cold init, median of ${report.initRuns} (ms) | × bare | median of per-round ratios |`,
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.reference ? `(${r.name})` : r.name} | ${kb(r.bytes)} | ${r.sizeRatio.toFixed(2)} | ${r.initMedianMs.toFixed(1)} | ${r.initRatio.toFixed(2)} | ${r.initRoundRatio.toFixed(2)} |`,
    ),
    '',
    `targets: bundle ≤ ${LEAN_TARGETS.bundle} × bare, cold init ≤ ${LEAN_TARGETS.coldInit} × bare (Node ${report.node})`,
  ];
  for (const row of report.rows.slice(1).filter((r) => !r.reference)) {
    const over = [row.sizeRatio > LEAN_TARGETS.bundle ? 'bundle over target' : '', row.initRatio > LEAN_TARGETS.coldInit ? 'cold init over target' : ''].filter(Boolean);
    const twice = row.duplicates.length ? `; bundled twice: ${row.duplicates.join(', ')}` : '';
    lines.push(`${row.name}: ${over.length ? over.join(', ') : 'within both targets'}; largest parts: ${row.topPackages.map(([p, b]) => `${p} ${kb(b)}`).join(', ')}${twice}`);
  }
  return lines.join('\n');
}
