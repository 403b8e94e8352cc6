import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readCloudAssembly } from '@registry-notices/local-stack';

/** One `AWS::Lambda::Function` of a synthesized stack, with the bundle `cdk deploy` would upload. */
export interface FunctionBundle {
  readonly logicalId: string;
  /** The bundle module its `Handler` names, e.g. `cdk.out/asset.<hash>/index.mjs`. */
  readonly file: string;
  readonly handlerExport: string;
  readonly bytes: number;
  /** `Environment.Variables`; a value CloudFormation would resolve at deploy is a placeholder string. */
  readonly environment: Record<string, string>;
  readonly memoryMb: number;
  readonly runtime: string;
}

/**
 * Every Node.js function of the cloud assembly with its bundle from `cdk synth`: the real
 * asset, not a rebuild.
 *
 * @example
 * functionBundles('.local/cdk.out').map((f) => [f.logicalId, f.bytes])
 */
export function functionBundles(cloudAssembly: string): FunctionBundle[] {
  const bundles: FunctionBundle[] = [];
  for (const stack of readCloudAssembly(cloudAssembly).stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const p = (resource.Properties ?? {}) as {
        Code?: { S3Key?: unknown };
        Handler?: string;
        Runtime?: string;
        MemorySize?: number;
        Environment?: { Variables?: Record<string, unknown> };
      };
      const asset = typeof p.Code?.S3Key === 'string' ? stack.assetsByObjectKey.get(p.Code.S3Key) : undefined;
      const [base = 'index', handlerExport = 'handler'] = (p.Handler ?? '').split('.');
      if (!asset || !String(p.Runtime).startsWith('nodejs')) continue;
      const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(asset.path, `${base}${ext}`)).find(exists);
      if (!file) continue;
      const environment = Object.fromEntries(
        Object.entries(p.Environment?.Variables ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : placeholder(key)]),
      );
      bundles.push({
        logicalId,
        file,
        handlerExport,
        bytes: statSync(file).size,
        environment,
        memoryMb: p.MemorySize ?? 128,
        runtime: p.Runtime ?? '',
      });
    }
  }
  return bundles;
}

/**
 * A stand-in for a value CloudFormation resolves at deploy (a queue URL, a key ARN), shaped
 * as that kind of value, since functions check their settings at init.
 */
function placeholder(key: string): string {
  const name = key.toLowerCase().replace(/_/g, '-');
  if (key.endsWith('_URL')) return `https://${name}.bench.example/`;
  if (key.endsWith('_ARN')) return `arn:aws:bench:us-east-1:000000000000:${name}`;
  return `bench-${name}`;
}

/** Whether two files hold the same bytes. */
export function sameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
