import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AssemblyError } from '../../errors';
import type { CfnTemplate } from '../template/types';

/** One CloudFormation stack of a cloud assembly, with its template and file assets. */
export interface StackArtifact {
  /** The artifact id in manifest.json. */
  readonly artifactId: string;
  /** The stack name CloudFormation would use. */
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
  /** Asset object key as the template names it (`<hash>.zip`) → absolute path of the asset on disk. */
  readonly assetsByObjectKey: ReadonlyMap<string, FileAsset>;
}

/** A file asset of the stack, as the asset manifest describes it. */
export interface FileAsset {
  readonly path: string;
  /** `zip`: a directory CDK zips on deploy (a Lambda bundle); `file`: a file uploaded as is. */
  readonly packaging: 'zip' | 'file';
  readonly displayName?: string;
}

/** A cloud assembly (`cdk.out`) as read from disk. */
export interface CloudAssembly {
  readonly directory: string;
  readonly stacks: readonly StackArtifact[];
}

interface ManifestArtifact {
  type: string;
  properties?: { templateFile?: string; stackName?: string; file?: string; directoryName?: string };
  dependencies?: string[];
  displayName?: string;
}

interface AssetManifest {
  files?: Record<
    string,
    {
      displayName?: string;
      source: { path?: string; packaging?: string; executable?: string[] };
      destinations: Record<string, { objectKey: string }>;
    }
  >;
}

/**
 * Reads a cloud assembly written by `cdk synth`: every stack's template and the map from
 * the S3 object key a `Code` property names to the bundle directory beside it — the same
 * bundle `cdk deploy` would upload. Nested assemblies (stages) are read too.
 *
 * @example
 * const assembly = readCloudAssembly('.local/cdk.out');
 * assembly.stacks[0]?.template.Resources
 */
export function readCloudAssembly(directory: string): CloudAssembly {
  const manifestPath = path.join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new AssemblyError(`${manifestPath} does not exist: is ${directory} the output of \`cdk synth\`?`);
  }
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(manifestPath);
  const artifacts = manifest.artifacts ?? {};
  const assets = new Map<string, FileAsset>();
  for (const artifact of Object.values(artifacts)) {
    if (artifact.type === 'cdk:asset-manifest' && artifact.properties?.file) {
      addFileAssets(directory, path.join(directory, artifact.properties.file), assets);
    }
  }
  const stacks: StackArtifact[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (!templateFile) throw new AssemblyError(`Stack artifact ${artifactId} names no template file.`);
      const templatePath = path.join(directory, templateFile);
      stacks.push({
        artifactId,
        stackName: artifact.properties?.stackName ?? artifactId,
        templatePath,
        template: readJson<CfnTemplate>(templatePath),
        assetsByObjectKey: assets,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(path.join(directory, artifact.properties.directoryName)).stacks);
    }
  }
  if (stacks.length === 0) throw new AssemblyError(`The cloud assembly in ${directory} holds no stack.`);
  markBundlesAsCommonJs(directory);
  return { directory, stacks };
}

function addFileAssets(directory: string, manifestPath: string, into: Map<string, FileAsset>): void {
  const manifest = readJson<AssetManifest>(manifestPath);
  for (const [hash, file] of Object.entries(manifest.files ?? {})) {
    if (!file.source.path) continue; // built by a command at publish time; reported if a function uses it
    const packaging = file.source.packaging === 'zip' ? 'zip' : 'file';
    for (const destination of Object.values(file.destinations)) {
      into.set(destination.objectKey, {
        path: path.resolve(directory, file.source.path),
        packaging,
        displayName: file.displayName ?? hash,
      });
    }
  }
}

/**
 * Lambda runs `index.js` as CommonJS because /var/task has no package.json. The assembly
 * sits inside this `"type": "module"` project, so Node would read the bundles as ES
 * modules; a package.json at the assembly root restores Lambda's reading without
 * touching the bundles (a bundle's own package.json still wins).
 */
function markBundlesAsCommonJs(directory: string): void {
  const marker = path.join(directory, 'package.json');
  if (!existsSync(marker)) writeFileSync(marker, `${JSON.stringify({ type: 'commonjs' })}\n`);
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new AssemblyError(`Cannot read ${file}`, { cause: error });
  }
}
