import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_AWS_REGION, type LocalStack, startLocalStack, synthesizeUnlessUnchanged } from '@registry-notices/local-stack';
import { useStackAddressHashKey } from './address-hash-key';
import { oncePerRun } from './once-per-run';

const REPO_ROOT = path.join(import.meta.dirname, '..', '..');

/**
 * The app as bin/ builds it (context over cdk.json's), bundled for real by esbuild, and run
 * on this run's emulators by the local engine under a fresh name prefix: schedules not armed
 * (tests fire them), function URLs on free ports.
 *
 * The cloud assembly is synthesized once per run for each context ({@link bundledAssembly})
 * and shared by the files that ask for that context: a local stack only reads it. No construct
 * tree is built here: a file that needs one (a logical id) builds it with `buildStack`, the same
 * app, and only that file pays for aws-cdk-lib (about 2 CPU-seconds a file).
 */
export async function startBundledStack(options: {
  readonly context?: Record<string, unknown>;
  readonly prefix: string;
  /** Endpoints in place of the run's emulators (e.g. an SES emulator the test kills and restarts). */
  readonly endpoints?: Partial<EmulatorEndpoints>;
  /** Each line a function logs, with its logical id (e.g. to show a failing test's function errors). */
  readonly functionLog?: (functionLogicalId: string, line: string) => void;
}): Promise<{ local: LocalStack }> {
  const cloudAssembly = await bundledAssembly(options.context ?? {});
  const endpoints = { ...inject('emulatorEndpoints'), ...options.endpoints };
  const local = await startLocalStack({
    cloudAssembly,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    namePrefix: `${options.prefix}${randomUUID().slice(0, 6)}`,
    schedules: false,
    functionUrlPort: 0,
    ...(options.functionLog ? { functionLog: options.functionLog } : {}),
  });
  // This process hashes addresses as the stack's functions do (its tests seed and read by hash).
  await useStackAddressHashKey(local.outputs.values.AddressHashKeyArn!);
  return { local };
}

/**
 * The directory of the bundled cloud assembly for `context`, made once per run (see
 * {@link oncePerRun}). The default context is synthesized with bundling. Any other context is
 * synthesized without it, and its functions' code is the default assembly's bundles: bundling
 * does not depend on context (every function is bundled with HOUSE_BUNDLING from its entry), so
 * a bundled synth of that context names the very same assets (each asset's hash is its bundle's),
 * and the template written is the one it would write. That saves an esbuild run of every function
 * (about 20 CPU-seconds) per context. A function the default assembly does not have falls back
 * to a bundled synth of its own.
 */
export async function bundledAssembly(context: Record<string, unknown>): Promise<string> {
  const entries = Object.entries(context).sort(([a], [b]) => a.localeCompare(b));
  const key = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
  if (entries.length === 0) {
    // `cdk synth` of bin/, as `npm start` runs it (its stamp too): npm-start.test starts on this
    // assembly and sees its synth skipped, rather than bundling every function once more.
    return oncePerRun(`bundled-${key}`, async (outdir) => {
      await synthesizeUnlessUnchanged({ outdir, projectDir: REPO_ROOT });
    });
  }
  const defaults = await bundledAssembly({});
  return oncePerRun(`bundled-${key}`, async (outdir) => {
    // Imported here: only the file that synthesizes a context pays for aws-cdk-lib.
    const { buildStack } = await import('../infra/helpers');
    const unbundled = `${outdir}.unbundled`;
    buildStack({ outdir: unbundled, context }).app.synth();
    if (!withBundlesOf(defaults, unbundled, outdir)) buildStack({ bundle: true, outdir, context }).app.synth();
  });
}

/**
 * Writes into `outdir` the assembly `unbundled` (synthesized without bundling) would be with the
 * bundles of `bundled` (the same app bundled, in another context): each function's `Code.S3Key`
 * becomes that of the function with the same logical id there, the asset manifests are
 * `bundled`'s (pointing at its asset directories). False, and nothing written, when some
 * function has no bundle there.
 */
function withBundlesOf(bundled: string, unbundled: string, outdir: string): boolean {
  const manifest = readJson<Manifest>(path.join(bundled, 'manifest.json'));
  const artifacts = Object.values(manifest.artifacts ?? {});
  const templateFiles = artifacts.flatMap((a) => (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile ? [a.properties.templateFile] : []));
  const assetManifests = artifacts.flatMap((a) => (a.type === 'cdk:asset-manifest' && a.properties?.file ? [a.properties.file] : []));
  const objectKeys = new Set(
    assetManifests.flatMap((file) =>
      Object.values(readJson<AssetManifest>(path.join(bundled, file)).files ?? {}).flatMap((asset) => Object.values(asset.destinations).map((d) => d.objectKey)),
    ),
  );
  const templates = new Map<string, Template>();
  for (const file of templateFiles) {
    const bundledResources = readJson<Template>(path.join(bundled, file)).Resources;
    const template = readJson<Template>(path.join(unbundled, file));
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const code = resource.Properties?.Code;
      if (typeof code?.S3Key !== 'string') continue;
      const bundledKey = bundledResources[logicalId]?.Properties?.Code?.S3Key;
      if (typeof bundledKey !== 'string' || !objectKeys.has(bundledKey)) return false;
      code.S3Key = bundledKey;
    }
    templates.set(file, template);
  }
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
  for (const file of assetManifests) {
    const assets = readJson<AssetManifest>(path.join(bundled, file));
    // Asset paths are relative to the assembly: point them at `bundled`'s directories.
    for (const asset of Object.values(assets.files ?? {})) {
      if (asset.source.path) asset.source.path = path.resolve(bundled, asset.source.path);
    }
    writeFileSync(path.join(outdir, file), JSON.stringify(assets));
  }
  for (const [file, template] of templates) writeFileSync(path.join(outdir, file), JSON.stringify(template));
  return true;
}

/** What {@link withBundlesOf} reads of a cloud assembly's files. */
interface Manifest {
  readonly artifacts?: Record<string, { readonly type: string; readonly properties?: { readonly file?: string; readonly templateFile?: string } }>;
}
interface AssetManifest {
  readonly files?: Record<string, { source: { path?: string }; readonly destinations: Record<string, { readonly objectKey: string }> }>;
}
interface Template {
  readonly Resources: Record<string, { readonly Properties?: { readonly Code?: { S3Key?: unknown } } }>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
