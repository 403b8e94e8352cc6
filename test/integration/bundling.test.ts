import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from './helpers';

describe('notify function bundling', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'registry-notices-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('builds a minified ESM bundle with a source map using the local esbuild (no Docker)', () => {
    // Act
    const { template, app } = synthesize({ bundle: true, outdir });
    app.synth();

    // Assess
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Code: { S3Key: string } };
    };
    // The asset is staged as cdk.out/asset.<hash>, and uploaded as <hash>.zip.
    const assetDir = path.join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
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
    const { template, app } = synthesize({ bundle: true, outdir });
    app.synth();

    // Assess
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')) as [string, { Properties: { Code: { S3Key?: string } } }][];
    const bundles = new Map(
      functions
        .map(([logicalId, fn]) => [logicalId, fn.Properties.Code.S3Key?.replace(/\.zip$/, '')] as const)
        .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && existsSync(path.join(outdir, `asset.${entry[1]}`, 'index.mjs')))
        .map(([logicalId, hash]) => [logicalId, readFileSync(path.join(outdir, `asset.${hash}`, 'index.mjs'), 'utf8')] as const),
    );
    expect(bundles.size).toBeGreaterThan(1);
    for (const bundle of bundles.values()) {
      // The SDK's own SigV4 auth scheme signs every call; no request is signed by hand.
      expect(bundle).toContain('aws.auth#sigv4');
      expect(bundle).not.toContain('X-Amz-Target');
    }
    const notify = [...bundles].find(([logicalId]) => /^Notify/i.test(logicalId) || /Notify.*Function/i.test(logicalId))?.[1];
    expect(notify, `a notify function among ${[...bundles.keys()].join(', ')}`).toBeDefined();
    // The notify function sends with SESv2Client, and reads and writes DynamoDB and SSM.
    for (const operation of ['SendEmail', 'TransactWriteItems', 'GetParameter']) expect(notify).toContain(`"${operation}"`);
  });
});
