import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileAsset } from '../assembly/read-assembly';
import { AssemblyError, UnsupportedPropertyError } from '../../errors';
import type { ProvisionedResource } from '../provision/provision-from-template';
import { checkProperties } from '../provision/property-check';

const TYPE = 'AWS::Lambda::Function';

/** Everything needed to run one `AWS::Lambda::Function` locally. */
export interface LocalFunctionDefinition {
  readonly logicalId: string;
  /** Its physical name (`AWS_LAMBDA_FUNCTION_NAME`, `context.functionName`). */
  readonly name: string;
  readonly arn: string;
  /** The bundle directory (`LAMBDA_TASK_ROOT`): the cdk.out asset `cdk deploy` would upload. */
  readonly codeDirectory: string;
  /** The module file the `Handler` names (`index.handler` → `<codeDirectory>/index.js`). */
  readonly handlerFile: string;
  /** The export the `Handler` names (`handler`). */
  readonly handlerExport: string;
  /** The `Handler` property as written. */
  readonly handler: string;
  readonly runtime: string;
  /** `Timeout` in seconds. @default 3 (Lambda's default) */
  readonly timeoutSeconds: number;
  /** `MemorySize` in MB. @default 128 */
  readonly memoryMb: number;
  /** `ReservedConcurrentExecutions`, if set. */
  readonly reservedConcurrency?: number;
  /** `Environment.Variables` from the template, resolved. */
  readonly environment: Readonly<Record<string, string>>;
}

const IGNORED = {
  Role: 'no IAM service locally: the IAM gate checks the function’s calls against its role’s policies (unless enforcePolicies is false)',
  Architectures: 'runs on this machine’s architecture',
  Description: 'descriptive only',
  LoggingConfig: 'logs go to the terminal / .local/logs',
  TracingConfig: 'no X-Ray locally',
  VpcConfig: 'no networking is emulated',
  Tags: 'tags are not needed locally',
  KmsKeyArn: 'no encryption at rest locally',
  EphemeralStorage: '/tmp is this machine’s',
  DeadLetterConfig: 'async-invocation DLQ is not emulated; schedule failures are logged',
  SnapStart: 'no snapshots locally',
  RuntimeManagementConfig: 'the runtime is this machine’s Node',
  RecursiveLoop: 'no recursion detection locally',
  CodeSigningConfigArn: 'code is not signed locally',
} as const;

/**
 * Builds the local definition of a provisioned `AWS::Lambda::Function`: finds its bundle
 * in the cloud assembly through the `Code.S3Key` ↔ asset manifest, and reads handler,
 * runtime, timeout, memory, reserved concurrency and the resolved environment.
 * Container images, layers and file systems fail loudly.
 *
 * @example
 * const definition = functionDefinition(stack.resources.get('NotifyFunction')!, assembly.stacks[0].assetsByObjectKey);
 * definition.handlerFile // '/work/main/.local/cdk.out/asset.85eb.../index.js'
 */
export function functionDefinition(
  resource: ProvisionedResource,
  assets: ReadonlyMap<string, FileAsset>,
): LocalFunctionDefinition {
  const { logicalId, properties: p } = resource;
  checkProperties(logicalId, TYPE, p, {
    applied: ['Code', 'Handler', 'Runtime', 'Timeout', 'MemorySize', 'Environment', 'FunctionName', 'ReservedConcurrentExecutions', 'PackageType'],
    ignored: IGNORED,
  });
  if (p.PackageType === 'Image') throw new UnsupportedPropertyError(logicalId, TYPE, 'PackageType', 'container images are not run locally');
  const runtime = String(p.Runtime ?? '');
  if (!runtime.startsWith('nodejs')) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'Runtime', `only Node.js functions run locally, this one is ${runtime || 'unset'}`);
  }
  const handler = String(p.Handler ?? '');
  const dot = handler.lastIndexOf('.');
  if (dot < 1) throw new UnsupportedPropertyError(logicalId, TYPE, 'Handler', `"${handler}" is not "<file>.<export>"`);

  const codeDirectory = codeDirectoryOf(logicalId, p.Code, assets);
  const handlerFile = moduleFile(codeDirectory, handler.slice(0, dot));
  if (handlerFile === undefined) {
    throw new AssemblyError(`${logicalId}: the bundle ${codeDirectory} has no ${handler.slice(0, dot)}.js/.mjs/.cjs for Handler ${handler}.`);
  }
  const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const environment = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)]));
  const reserved = p.ReservedConcurrentExecutions;
  return {
    logicalId,
    name: resource.outputs.ref,
    arn: String(resource.outputs.attributes.Arn),
    codeDirectory,
    handlerFile,
    handlerExport: handler.slice(dot + 1),
    handler,
    runtime,
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    ...(reserved === undefined ? {} : { reservedConcurrency: Number(reserved) }),
    environment,
  };
}

function codeDirectoryOf(logicalId: string, code: unknown, assets: ReadonlyMap<string, FileAsset>): string {
  const { S3Key, ZipFile, ImageUri } = (code ?? {}) as { S3Key?: unknown; ZipFile?: unknown; ImageUri?: unknown };
  if (ImageUri !== undefined) throw new UnsupportedPropertyError(logicalId, TYPE, 'Code.ImageUri', 'container images are not run locally');
  if (typeof ZipFile === 'string') {
    // Inline code: CloudFormation writes it to index.js. Kept on purpose (a few bytes, rewritten by
    // every start): one fixed directory, one subdirectory per function, never one per run.
    const directory = path.join(tmpdir(), 'registry-notices-inline', logicalId);
    mkdirSync(directory, { recursive: true });
    writeFileSync(path.join(directory, 'package.json'), '{"type":"commonjs"}\n');
    writeFileSync(path.join(directory, 'index.js'), ZipFile);
    return directory;
  }
  if (typeof S3Key !== 'string') throw new UnsupportedPropertyError(logicalId, TYPE, 'Code', 'neither an asset (S3Key) nor ZipFile');
  const asset = assets.get(S3Key);
  if (asset === undefined) {
    throw new AssemblyError(`${logicalId}: Code.S3Key ${S3Key} is not an asset of this cloud assembly (was it built by another synth?).`);
  }
  if (asset.packaging !== 'zip' || !existsSync(asset.path)) {
    throw new AssemblyError(`${logicalId}: asset ${asset.displayName ?? S3Key} is not a bundle directory at ${asset.path}.`);
  }
  return asset.path;
}

/** Lambda's lookup order for the handler module. */
function moduleFile(directory: string, base: string): string | undefined {
  return ['.js', '.mjs', '.cjs'].map((extension) => path.join(directory, `${base}${extension}`)).find((file) => existsSync(file));
}
