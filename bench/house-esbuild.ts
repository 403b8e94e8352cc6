import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** What one esbuild run produced. */
export interface BuiltBundle {
  /** The bundle file (`index.mjs`). */
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/**
 * The esbuild API options that reproduce what CDK's `NodejsFunction` runs for `bundling`
 * (the same flags as its `esbuild --bundle` command line), so the bench can bundle its bare
 * handler exactly like the functions and write metafiles. A bundling option it does not
 * know how to translate is an error, not a silent difference.
 *
 * @example
 * const options = esbuildOptionsFor(HOUSE_BUNDLING, '/work/main');
 */
export function esbuildOptionsFor(bundling: BundlingOptions, projectDir: string): BuildOptions {
  const known = new Set(['minify', 'sourceMap', 'sourcesContent', 'target', 'format', 'mainFields', 'bundleAwsSDK', 'banner', 'esbuildArgs']);
  const unknown = Object.keys(bundling).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`the bench does not reproduce the bundling option(s) ${unknown.join(', ')}: teach bench/house-esbuild.ts`);
  const alias: Record<string, string> = {};
  for (const [flag, value] of Object.entries(bundling.esbuildArgs ?? {})) {
    const target = /^--alias:(.+)$/.exec(flag)?.[1];
    if (!target || typeof value !== 'string') throw new Error(`the bench does not reproduce the esbuild argument ${flag}`);
    alias[target] = value;
  }
  return {
    absWorkingDir: projectDir,
    bundle: true,
    platform: 'node',
    target: bundling.target,
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    mainFields: bundling.mainFields,
    banner: bundling.banner ? { js: bundling.banner } : undefined,
    // CDK marks the SDK external only when it is not bundled.
    external: bundling.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    alias,
    logLevel: 'warning',
  };
}

/** Bundles `entry` with `options` into `outdir/index.mjs`, with its metafile. */
export async function bundleWith(options: BuildOptions, entry: string, outdir: string): Promise<BuiltBundle> {
  const file = path.join(outdir, options.format === 'esm' ? 'index.mjs' : 'index.js');
  const result = await build({ ...options, entryPoints: [entry], outfile: file, metafile: true });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`esbuild wrote no bundle for ${entry}`);
  return { file, bytes: output.bytes, metafile: result.metafile };
}

/**
 * Bytes of the bundle by package (`@aws-sdk/client-sesv2`, `zod`, ...; our own code by its
 * top folder, `lambdas/domain`), largest first: what the metafile says a bundle is made of.
 */
export function bytesByPackage(metafile: Metafile): [string, number][] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const name = inPackage ?? input.split('/').slice(0, 2).join('/');
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Packages bundled from more than one directory (two versions side by side, e.g. a nested
 * `@aws-lambda-powertools/commons`): bytes a version alignment would save.
 */
export function duplicatePackages(metafile: Metafile): string[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const directories = new Map<string, Set<string>>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (!match || bytesInOutput === 0) continue;
    const [, directory = '', name = ''] = match;
    directories.set(name, (directories.get(name) ?? new Set()).add(directory));
  }
  return [...directories].filter(([, dirs]) => dirs.size > 1).map(([name]) => name);
}

/** A bundle split into the AWS SDK and the rest, from its metafile (bytes in the output). */
export interface SdkShare {
  /** The whole bundle (the output file, banner and esbuild's glue included). */
  readonly bytes: number;
  /** `@aws-sdk/*`, `@smithy/*`, `@aws-crypto/*`, `@aws/*`, `tslib`, and packages only the SDK imports (e.g. mnemonist). */
  readonly sdk: number;
  /** Everything else: {@link own} code, the other libraries (Middy, Powertools, zod...) and esbuild's glue. */
  readonly ownAndLibs: number;
  /** Our code: inputs outside node_modules (`lambdas/`, `lib/`...). */
  readonly own: number;
  /** The parts of {@link ownAndLibs} by package (our code by its top two folders), largest first. */
  readonly ownAndLibsByPackage: readonly (readonly [string, number])[];
  /** Packages counted as SDK though outside its scopes, because only SDK code imports them. */
  readonly sdkByImport: readonly string[];
}

const SDK_SCOPES = /^(?:@aws-sdk|@smithy|@aws-crypto|@aws)\/|^tslib$/;

/**
 * What of a bundle is the AWS SDK and what is ours and our other libraries'. A package outside
 * the SDK's scopes counts as SDK when every module that imports it is SDK code (the endpoint
 * cache's mnemonist, say): it comes with the SDK clients, the bare handler's too.
 *
 * @example
 * sdkShare(metafile) // { bytes: 733080, sdk: 540000, ownAndLibs: 193000, own: 43000, ... }
 */
export function sdkShare(metafile: Metafile): SdkShare {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry point output');
  const packageOf = (input: string): string | undefined => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  const importers = new Map<string, Set<string | undefined>>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const { path: target } of imports) {
      const name = packageOf(target);
      if (name === undefined || name === packageOf(input)) continue;
      importers.set(name, (importers.get(name) ?? new Set()).add(packageOf(input)));
    }
  }
  const sdk = new Set([...importers.keys()].filter((name) => SDK_SCOPES.test(name)));
  const byImport: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, from] of importers) {
      if (sdk.has(name) || ![...from].every((p) => p !== undefined && sdk.has(p))) continue;
      sdk.add(name);
      byImport.push(name);
      grew = true;
    }
  }
  let sdkBytes = 0;
  let own = 0;
  const rest = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    if (name !== undefined && (sdk.has(name) || SDK_SCOPES.test(name))) {
      sdkBytes += bytesInOutput;
      continue;
    }
    if (name === undefined) own += bytesInOutput;
    const key = name ?? input.split('/').slice(0, 2).join('/');
    rest.set(key, (rest.get(key) ?? 0) + bytesInOutput);
  }
  return {
    bytes: output.bytes,
    sdk: sdkBytes,
    ownAndLibs: output.bytes - sdkBytes,
    own,
    ownAndLibsByPackage: [...rest.entries()].sort((a, b) => b[1] - a[1]),
    sdkByImport: byImport.sort(),
  };
}
