import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CfnTemplate } from '../template/types';

/** A function bundle for a fake assembly: file name → source. */
export interface FakeBundle {
  /** The S3 object key the template's `Code.S3Key` names, e.g. `fixture.zip`. */
  readonly objectKey: string;
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Writes a minimal cloud assembly (manifest, template, asset manifest, bundle
 * directories) to a new temporary directory, laid out as `cdk synth` lays it out, so the
 * local stack can be tested with hand-made templates and handler bundles. The caller removes it
 * when done (the tests: `removedAfterFile`, test/support/temp-dir.ts).
 *
 * @example
 * const dir = writeFakeAssembly('Fixture', template, [{ objectKey: 'fn.zip', files: { 'index.js': 'exports.handler = async () => null;' } }]);
 */
export function writeFakeAssembly(stackName: string, template: CfnTemplate, bundles: readonly FakeBundle[] = []): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'fake-assembly-'));
  const files: Record<string, unknown> = {};
  for (const bundle of bundles) {
    const hash = bundle.objectKey.replace(/\.zip$/, '');
    const assetDir = path.join(directory, `asset.${hash}`);
    mkdirSync(assetDir, { recursive: true });
    for (const [name, source] of Object.entries(bundle.files)) writeFileSync(path.join(assetDir, name), source);
    files[hash] = {
      displayName: `${hash}/Code`,
      source: { path: `asset.${hash}`, packaging: 'zip' },
      destinations: {
        'current_account-current_region': {
          bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}',
          objectKey: bundle.objectKey,
        },
      },
    };
  }
  writeFileSync(path.join(directory, `${stackName}.template.json`), JSON.stringify(template, null, 1));
  writeFileSync(path.join(directory, `${stackName}.assets.json`), JSON.stringify({ version: '55.0.0', files, dockerImages: {} }));
  writeFileSync(
    path.join(directory, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        [`${stackName}.assets`]: { type: 'cdk:asset-manifest', properties: { file: `${stackName}.assets.json` } },
        [stackName]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: `${stackName}.template.json` },
          dependencies: [`${stackName}.assets`],
        },
      },
    }),
  );
  return directory;
}

/**
 * The `Code` property of a function whose bundle is `objectKey` in the fake assembly.
 *
 * @example
 * { Type: 'AWS::Lambda::Function', Properties: { Code: assetCode('fn.zip'), Handler: 'index.handler', Runtime: 'nodejs24.x' } }
 */
export function assetCode(objectKey: string): Record<string, unknown> {
  return { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: objectKey };
}
