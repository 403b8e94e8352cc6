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

  it('leaves out what no function calls: the default credential chain and the event-stream codec', () => {
    // Act
    const { template, app } = synthesize({ bundle: true, outdir });
    app.synth();

    // Assess
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key?: string } } }[];
    const bundles = functions
      .map((fn) => fn.Properties.Code.S3Key?.replace(/\.zip$/, ''))
      .filter((hash): hash is string => hash !== undefined && existsSync(path.join(outdir, `asset.${hash}`, 'index.mjs')))
      .map((hash) => readFileSync(path.join(outdir, `asset.${hash}`, 'index.mjs'), 'utf8'));
    expect(bundles.length).toBeGreaterThan(1);
    for (const bundle of bundles) {
      // Event-stream frames name their headers `:message-type`, `:event-type`: its codec's strings.
      expect(bundle).not.toContain(':message-type');
      // The default chain's container and SSO providers read these settings.
      expect(bundle).not.toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
      expect(bundle).not.toContain('sso_start_url');
      expect(bundle).toContain('event streams are not bundled');
    }
  });
});
