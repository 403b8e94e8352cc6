import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssemblyError, assetCode, functionDefinition, lambdaEnvironment, type ProvisionedResource, readCloudAssembly, UnsupportedPropertyError, writeFakeAssembly } from '@registry-notices/local-stack';
import { removedAfterFile } from '../support/temp-dir';

function functionResourceFactory(properties: Record<string, unknown>): ProvisionedResource {
  return {
    logicalId: 'NotifyFn',
    type: 'AWS::Lambda::Function',
    role: 'function',
    outputs: { ref: 'S-NotifyFn', attributes: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:S-NotifyFn' } },
    properties: { Code: assetCode('abc.zip'), Handler: 'index.handler', Runtime: 'nodejs24.x', ...properties },
    notes: [],
  };
}

describe('readCloudAssembly', () => {
  it('reads the stack template and maps the Code S3Key to the bundle directory', () => {
    // Prepare
    const dir = removedAfterFile(writeFakeAssembly('S', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } }, [
      { objectKey: 'abc.zip', files: { 'index.js': 'exports.handler = async () => null;' } },
    ]));

    // Act
    const assembly = readCloudAssembly(dir);

    // Assess
    const [stack] = assembly.stacks;
    expect(stack?.stackName).toBe('S');
    expect(stack?.template.Resources.Q?.Type).toBe('AWS::SQS::Queue');
    expect(stack?.assetsByObjectKey.get('abc.zip')).toMatchObject({ path: path.join(dir, 'asset.abc'), packaging: 'zip' });
  });

  it('marks the assembly CommonJS, as Lambda reads index.js, without touching the bundles', () => {
    const dir = removedAfterFile(writeFakeAssembly('S', { Resources: {} }, [{ objectKey: 'abc.zip', files: { 'index.js': '' } }]));
    readCloudAssembly(dir);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(existsSync(path.join(dir, 'asset.abc', 'package.json'))).toBe(false);
  });

  it('says when the directory is not a cloud assembly', () => {
    expect(() => readCloudAssembly('/nonexistent')).toThrow(AssemblyError);
    expect(() => readCloudAssembly('/nonexistent')).toThrow(/is \/nonexistent the output of `cdk synth`/);
  });
});

describe('functionDefinition', () => {
  const dir = removedAfterFile(writeFakeAssembly('S', { Resources: {} }, [
    { objectKey: 'abc.zip', files: { 'index.mjs': 'export const handler = async () => null;' } },
  ]));
  const assets = readCloudAssembly(dir).stacks[0]?.assetsByObjectKey ?? new Map();

  it('finds the handler module in the bundle and reads timeout, memory and environment', () => {
    // Act
    const definition = functionDefinition(
      functionResourceFactory({ Timeout: 30, MemorySize: 512, Environment: { Variables: { TABLE: 'S-Table', N: 5 } } }),
      assets,
    );

    // Assess
    expect(definition).toMatchObject({
      name: 'S-NotifyFn',
      handlerFile: path.join(dir, 'asset.abc', 'index.mjs'),
      handlerExport: 'handler',
      timeoutSeconds: 30,
      memoryMb: 512,
      environment: { TABLE: 'S-Table', N: '5' },
    });
  });

  it('uses Lambda’s defaults of 3 s and 128 MB', () => {
    expect(functionDefinition(functionResourceFactory({}), assets)).toMatchObject({ timeoutSeconds: 3, memoryMb: 128 });
  });

  it.each([
    [{ Runtime: 'python3.12' }, /only Node.js functions run locally/],
    [{ PackageType: 'Image' }, /container images/],
    [{ Layers: ['arn:aws:lambda:::layer:x'] }, /sets Layers/],
    [{ Handler: 'handler' }, /is not "<file>.<export>"/],
  ])('fails loudly for %j', (properties, message) => {
    expect(() => functionDefinition(functionResourceFactory(properties), assets)).toThrow(UnsupportedPropertyError);
    expect(() => functionDefinition(functionResourceFactory(properties), assets)).toThrow(message);
  });

  it('fails when the S3Key is not an asset of the assembly', () => {
    expect(() => functionDefinition(functionResourceFactory({ Code: assetCode('other.zip') }), assets)).toThrow(/is not an asset/);
  });

  it('gives the function Lambda’s runtime variables, the template’s, then the emulator endpoints', () => {
    // Prepare
    const definition = functionDefinition(functionResourceFactory({ Environment: { Variables: { TABLE: 'S-Table', AWS_REGION: 'nope' } } }), assets);

    // Act
    const env = lambdaEnvironment(definition, 'us-east-1', { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566' });

    // Assess
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'S-NotifyFn',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      _HANDLER: 'index.handler',
      TABLE: 'S-Table',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
    });
  });
});
