import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledAssembly } from '../support/bundled-stack';

/**
 * The functions as `cdk synth` bundles them: the run's default assembly (test/support/bundled-stack.ts,
 * `cdk synth` of bin/ with the local esbuild), read from cdk.out as the deployment reads it. An
 * integration file only because that assembly is made once per run there (a bundling of every
 * function is about 20 CPU-seconds); it needs no emulator.
 */
interface LambdaResource {
  readonly Type: string;
  readonly Properties: { readonly Code?: { readonly S3Key?: unknown } };
}

let outdir: string;
let functions: [string, LambdaResource][];
const bundleOf = (s3Key: string): string => path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);

beforeAll(async () => {
  outdir = await bundledAssembly({});
  const template = JSON.parse(readFileSync(path.join(outdir, 'RegistryNotices.template.json'), 'utf8')) as { Resources: Record<string, LambdaResource> };
  functions = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
}, 240_000);

describe('function bundling', () => {
  it('builds a minified ESM bundle with a source map using the local esbuild (no Docker)', () => {
    // Act
    const [, fn] = functions.find(([, resource]) => typeof resource.Properties.Code?.S3Key === 'string')!;
    // The asset is staged as cdk.out/asset.<hash>, and uploaded as <hash>.zip.
    const assetDir = bundleOf(fn.Properties.Code!.S3Key as string);
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');

    // Assess
    expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
    // The createRequire banner lets bundled CommonJS code require Node built-ins from ESM.
    expect(bundle.startsWith("import { createRequire } from 'node:module';")).toBe(true);
    expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    // The SDK is inside the bundle, not expected from the runtime.
    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(bundle).toMatch(/sourceMappingURL=index\.mjs\.map/);
  });

  it("holds in each function's bundle the SDK clients it calls, and none of a hand-written protocol", () => {
    // Act
    const bundles = new Map(
      functions
        .map(([logicalId, fn]) => [logicalId, typeof fn.Properties.Code?.S3Key === 'string' ? fn.Properties.Code.S3Key : undefined] as const)
        .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && existsSync(path.join(bundleOf(entry[1]), 'index.mjs')))
        .map(([logicalId, key]) => [logicalId, readFileSync(path.join(bundleOf(key), 'index.mjs'), 'utf8')] as const),
    );

    // Assess
    expect(bundles.size).toBeGreaterThan(1);
    for (const [logicalId, bundle] of bundles) {
      // The SDK's own SigV4 auth scheme signs every call; no request is signed by hand.
      expect(bundle).not.toContain('X-Amz-Target');
      // The apology preview function calls no AWS service: no SDK client in its bundle (the operator function invokes it).
      if (/ApologyPreviewFunction/.test(logicalId)) expect(bundle, logicalId).not.toContain('aws.auth#sigv4');
      else expect(bundle, logicalId).toContain('aws.auth#sigv4');
    }
    expect([...bundles.keys()].filter((logicalId) => /ApologyPreviewFunction/.test(logicalId))).toHaveLength(1);
    const notify = [...bundles].find(([logicalId]) => /^Notify/i.test(logicalId) || /Notify.*Function/i.test(logicalId))?.[1];
    expect(notify, `a notify function among ${[...bundles.keys()].join(', ')}`).toBeDefined();
    // The notify function sends with SESv2Client, and reads and writes DynamoDB and SSM.
    for (const operation of ['SendEmail', 'TransactWriteItems', 'GetParameter']) expect(notify).toContain(`"${operation}"`);
  });
});
