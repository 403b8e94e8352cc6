import { createRequire } from 'node:module';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetCode, type CfnTemplate, type LocalStack, writeFakeAssembly } from '@registry-notices/local-stack';
import { startOnEmulators } from '../support/emulator-stack';
import { removedAfterFile } from '../support/temp-dir';

/**
 * The local IAM gate: each function calls the emulators as its own role, and what the role's
 * policies in the template do not allow is refused as AWS refuses it, in the service's own
 * error shape. A fixture function makes whatever SDK call it is asked for
 * (`{ service, command, input }`, `$NAME` in the input read from its environment).
 */
const resolve = createRequire(import.meta.url).resolve;
const SDK = {
  dynamodb: [resolve('@aws-sdk/client-dynamodb'), 'DynamoDBClient'],
  sqs: [resolve('@aws-sdk/client-sqs'), 'SQSClient'],
  s3: [resolve('@aws-sdk/client-s3'), 'S3Client'],
  kms: [resolve('@aws-sdk/client-kms'), 'KMSClient'],
  ssm: [resolve('@aws-sdk/client-ssm'), 'SSMClient'],
  ses: [resolve('@aws-sdk/client-sesv2'), 'SESv2Client'],
  lambda: [resolve('@aws-sdk/client-lambda'), 'LambdaClient'],
};
const CALLER = `
const SDK = ${JSON.stringify(SDK)};
const clients = {};
const fromEnv = (value) => typeof value === 'string' && value.startsWith('$') ? process.env[value.slice(1)]
  : Array.isArray(value) ? value.map(fromEnv)
  : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromEnv(v)])) : value;
exports.handler = async ({ service, command, input }) => {
  const [file, clientName] = SDK[service];
  const sdk = require(file);
  clients[service] ??= new sdk[clientName]({ maxAttempts: 1, ...(service === 's3' ? { forcePathStyle: true } : {}) });
  try {
    const out = await clients[service].send(new sdk[command + 'Command'](fromEnv(input)));
    const answered = out.Payload ? { payload: JSON.parse(Buffer.from(out.Payload).toString('utf8')), functionError: out.FunctionError } : {};
    return { ok: true, status: out.$metadata.httpStatusCode, ...answered };
  } catch (error) {
    return { ok: false, name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  }
};
`;

/** What the caller invokes (Lambda Invoke): its event and name back, or the error it is asked for. */
const TARGET = `
exports.handler = async (event, context) => {
  if (event.fail) throw Object.assign(new Error('asked to fail: ' + event.fail), { name: 'AskedToFail' });
  return { echoed: event, functionName: context.functionName };
};
`;
const BUNDLES = [
  { objectKey: 'caller.zip', files: { 'index.js': CALLER } },
  { objectKey: 'target.zip', files: { 'index.js': TARGET } },
];

const arn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const sub = (text: string) => ({ 'Fn::Sub': text });
const ROOT_ONLY_KEY_POLICY = { Statement: [{ Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' }] };
const caller = (role: string, variables: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Code: assetCode('caller.zip'), Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 10, Role: arn(role), Environment: { Variables: variables } },
});

const template: CfnTemplate = {
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    },
    Granted: { Type: 'AWS::SQS::Queue' },
    NotGranted: { Type: 'AWS::SQS::Queue' },
    Inbox: { Type: 'AWS::SQS::Queue' },
    Bucket: { Type: 'AWS::S3::Bucket' },
    MacKey: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', KeyPolicy: ROOT_ONLY_KEY_POLICY } },
    // A key whose policy does not hand the decision to the account's IAM policies.
    ClosedKey: {
      Type: 'AWS::KMS::Key',
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:role/someone-else' }, Action: 'kms:*', Resource: '*' }] } },
    },
    Param: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'false' } },
    OtherParam: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } },
    CallerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    CallerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'caller',
        Roles: [{ Ref: 'CallerRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: arn('Table') },
            { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn('Granted') },
            { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arn('Bucket'), '/in/*']] } },
            { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [arn('Bucket'), '/out/*']] } },
            { Effect: 'Allow', Action: 'kms:GenerateMac', Resource: [arn('MacKey'), arn('ClosedKey')], Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } } },
            { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Param}') },
            { Effect: 'Allow', Action: 'ses:SendEmail', Resource: sub('arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com'), Condition: { StringEquals: { 'ses:FromAddress': 'ok@example.com' } } },
            { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn('Target') },
          ],
        },
      },
    },
    Caller: caller('CallerRole', {
      TABLE: { Ref: 'Table' },
      GRANTED_QUEUE: { Ref: 'Granted' },
      OTHER_QUEUE: { Ref: 'NotGranted' },
      BUCKET: { Ref: 'Bucket' },
      MAC_KEY: { Ref: 'MacKey' },
      CLOSED_KEY: { Ref: 'ClosedKey' },
      PARAM: { Ref: 'Param' },
      OTHER_PARAM: { Ref: 'OtherParam' },
      TARGET: { Ref: 'Target' },
      TARGET_ARN: arn('Target'),
      OTHER_TARGET: { Ref: 'Ungranted' },
    }),
    // Invoked by the caller (Lambda Invoke through the gate): Target may be, Ungranted may not.
    TargetRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Target: {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: assetCode('target.zip'), Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 10, Role: arn('TargetRole') },
    },
    Ungranted: {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: assetCode('target.zip'), Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 10, Role: arn('TargetRole') },
    },
    // Fed by Inbox, but its role may not receive from it: Lambda's poller runs as the function's role.
    ConsumerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Consumer: caller('ConsumerRole', {}),
    ConsumerSource: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: arn('Inbox'), FunctionName: { Ref: 'Consumer' }, BatchSize: 1 } },
  },
};

/** Which template this test file runs: the one above, or it less one statement of the caller's policy. */
function withoutStatement(index: number): CfnTemplate {
  const copy = structuredClone(template);
  const policy = copy.Resources.CallerPolicy?.Properties as { PolicyDocument: { Statement: unknown[] } };
  policy.PolicyDocument.Statement.splice(index, 1);
  return copy;
}

interface CallResult {
  ok: boolean;
  name?: string;
  status?: number;
  message?: string;
  /** Lambda Invoke: the answer's payload and `X-Amz-Function-Error`. */
  payload?: Record<string, unknown>;
  functionError?: string;
}

let local: LocalStack;
const call = async (service: string, command: string, input: Record<string, unknown>, stack = local): Promise<CallResult> =>
  (await stack.functions.invoke('Caller', { service, command, input })).payload as CallResult;

beforeAll(async () => {
  local = await startOnEmulators(removedAfterFile(writeFakeAssembly('Iam', template, BUNDLES)), 'iam', { enforcePolicies: true });
});

afterAll(async () => {
  await local?.stop();
});

describe('the local IAM gate', () => {
  it('lets through what the role allows: each service reached through it with the function’s own credentials', async () => {
    expect(await call('dynamodb', 'PutItem', { TableName: '$TABLE', Item: { pk: { S: 'a' } } })).toMatchObject({ ok: true });
    expect(await call('dynamodb', 'GetItem', { TableName: '$TABLE', Key: { pk: { S: 'a' } } })).toMatchObject({ ok: true });
    expect(await call('sqs', 'SendMessage', { QueueUrl: '$GRANTED_QUEUE', MessageBody: 'hi' })).toMatchObject({ ok: true });
    expect(await call('s3', 'PutObject', { Bucket: '$BUCKET', Key: 'out/report.json', Body: '{}' })).toMatchObject({ ok: true });
    expect(await call('kms', 'GenerateMac', { KeyId: '$MAC_KEY', MacAlgorithm: 'HMAC_SHA_256', Message: 'aGk=' })).toMatchObject({ ok: true });
    expect(await call('ssm', 'GetParameter', { Name: '$PARAM' })).toMatchObject({ ok: true });
    expect(
      await call('ses', 'SendEmail', {
        FromEmailAddress: 'ok@example.com',
        Destination: { ToAddresses: ['iam-fixture@example.org'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      }),
    ).toMatchObject({ ok: true });
    expect(local.functions.accessRefusals().filter((r) => r.functionLogicalId === 'Caller')).toEqual([]);
  });

  it('serves Lambda Invoke through the gate to a role allowed lambda:InvokeFunction: the answer by name or ARN, a handler error as X-Amz-Function-Error with Lambda\'s error payload', async () => {
    const byName = await call('lambda', 'Invoke', { FunctionName: '$TARGET', Payload: JSON.stringify({ hello: 'world' }) });
    const byArn = await call('lambda', 'Invoke', { FunctionName: '$TARGET_ARN', Payload: JSON.stringify({ n: 2 }) });
    const failed = await call('lambda', 'Invoke', { FunctionName: '$TARGET', Payload: JSON.stringify({ fail: 'please' }) });

    const targetName = local.functions.definitions.get('Target')?.name;
    expect(byName).toEqual({ ok: true, status: 200, payload: { echoed: { hello: 'world' }, functionName: targetName } });
    expect(byArn).toMatchObject({ ok: true, status: 200, payload: { echoed: { n: 2 } } });
    expect(byArn.functionError).toBeUndefined();
    expect(failed).toMatchObject({ ok: true, status: 200, functionError: 'Unhandled', payload: { errorType: 'AskedToFail', errorMessage: 'asked to fail: please' } });
    expect((failed.payload?.trace as string[] | undefined)?.[0]).toBe('AskedToFail: asked to fail: please');
    expect(local.functions.calls()).toContainEqual(expect.objectContaining({ functionLogicalId: 'Caller', service: 'lambda', operation: 'Invoke', status: 200 }));
  });

  it('answers what Lambda refuses on its endpoint as Lambda does: an unknown function, a body that is no JSON, a version it does not run', async () => {
    const lambda = new LambdaClient({ endpoint: local.functions.lambdaUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const targetName = local.functions.definitions.get('Target')?.name ?? '';
      const refusal = (command: InvokeCommand) => lambda.send(command).then(() => undefined, (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }));
      expect(await refusal(new InvokeCommand({ FunctionName: 'NoSuchFunction' }))).toEqual({
        name: 'ResourceNotFoundException',
        status: 404,
        message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:NoSuchFunction',
      });
      expect(await refusal(new InvokeCommand({ FunctionName: targetName, Payload: new TextEncoder().encode('{not json') }))).toMatchObject({ name: 'InvalidRequestContentException', status: 400 });
      expect(await refusal(new InvokeCommand({ FunctionName: targetName, Qualifier: '3' }))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
      const dryRun = await lambda.send(new InvokeCommand({ FunctionName: targetName, InvocationType: 'DryRun' }));
      expect(dryRun.StatusCode).toBe(204);
    } finally {
      lambda.destroy();
    }
  });

  it.each([
    ['dynamodb', 'Scan', 'AccessDeniedException', 400, { TableName: '$TABLE' }, 'dynamodb:Scan', /table\/.*Table/, 'because no identity-based policy allows the dynamodb:Scan action'],
    ['dynamodb', 'DeleteItem', 'AccessDeniedException', 400, { TableName: '$TABLE', Key: { pk: { S: 'a' } } }, 'dynamodb:DeleteItem', /table\/.*Table/, 'with an explicit deny in an identity-based policy'],
    ['sqs', 'SendMessage', 'AccessDenied', 400, { QueueUrl: '$OTHER_QUEUE', MessageBody: 'hi' }, 'sqs:SendMessage', /:sqs:us-east-1:000000000000:.*NotGranted/, 'because no identity-based policy'],
    ['s3', 'PutObject', 'AccessDenied', 403, { Bucket: '$BUCKET', Key: 'in/smuggled.json', Body: '{}' }, 's3:PutObject', /arn:aws:s3:::.*\/in\/smuggled\.json/, 'because no identity-based policy'],
    ['kms', 'GenerateMac', 'AccessDeniedException', 400, { KeyId: '$MAC_KEY', MacAlgorithm: 'HMAC_SHA_512', Message: 'aGk=' }, 'kms:GenerateMac', /:kms:us-east-1:000000000000:key\//, 'because no identity-based policy'],
    ['kms', 'GenerateMac', 'AccessDeniedException', 400, { KeyId: '$CLOSED_KEY', MacAlgorithm: 'HMAC_SHA_256', Message: 'aGk=' }, 'kms:GenerateMac', /:key\//, 'because no resource-based policy allows'],
    ['ssm', 'GetParameter', 'AccessDeniedException', 400, { Name: '$OTHER_PARAM' }, 'ssm:GetParameter', /:ssm:us-east-1:000000000000:parameter\//, 'because no identity-based policy'],
    [
      'ses',
      'SendEmail',
      'AccessDeniedException',
      403,
      { FromEmailAddress: 'someone@example.com', Destination: { ToAddresses: ['iam-fixture@example.org'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } } },
      'ses:SendEmail',
      /:ses:us-east-1:000000000000:identity\/example\.com/,
      'because no identity-based policy',
    ],
    ['lambda', 'Invoke', 'AccessDeniedException', 403, { FunctionName: '$OTHER_TARGET', Payload: '{}' }, 'lambda:InvokeFunction', /:lambda:us-east-1:000000000000:function:.*Ungranted/, 'because no identity-based policy'],
  ] as const)('refuses %s %s as the service does (%s, HTTP %d), naming the function, the action and the resource', async (service, command, name, status, input, action, resource, why) => {
    const result = await call(service, command, input);
    expect(result).toMatchObject({ ok: false, name, status });
    expect(result.message).toContain(`is not authorized to perform: ${action} on resource: `);
    expect(result.message).toMatch(resource);
    expect(result.message).toContain(why);
    expect(result.message).toContain('function Caller, role CallerRole');
    expect(local.functions.accessRefusals()).toContainEqual(expect.objectContaining({ functionLogicalId: 'Caller', action }));
  });

  it('counts each call it forwards by function, operation and answer, with the service’s error code (what a bench reads as requests and throttles)', async () => {
    local.functions.resetCalls();
    const put = { TableName: '$TABLE', Item: { pk: { S: 'counted' } }, ConditionExpression: 'attribute_not_exists(pk)' };
    expect(await call('dynamodb', 'PutItem', put)).toMatchObject({ ok: true });
    expect(await call('dynamodb', 'PutItem', put)).toMatchObject({ ok: false, name: 'ConditionalCheckFailedException' });
    expect(await call('dynamodb', 'GetItem', { TableName: '$TABLE', Key: { pk: { S: 'counted' } } })).toMatchObject({ ok: true });
    const mine = local.functions.calls().filter((c) => c.functionLogicalId === 'Caller');
    expect(mine).toEqual(
      expect.arrayContaining([
        { functionLogicalId: 'Caller', service: 'dynamodb', operation: 'PutItem', status: 200, count: 1 },
        { functionLogicalId: 'Caller', service: 'dynamodb', operation: 'PutItem', status: 400, errorType: 'ConditionalCheckFailedException', count: 1 },
        { functionLogicalId: 'Caller', service: 'dynamodb', operation: 'GetItem', status: 200, count: 1 },
      ]),
    );
    expect(mine).toHaveLength(3);
    // What its environment used: one started, a V8 heap of some MB, some working time.
    const usage = local.functions.usage().get('Caller');
    expect(usage?.environments).toBeGreaterThanOrEqual(1);
    expect(usage?.peakHeap?.totalBytes).toBeGreaterThan(2 ** 20);
    expect(usage?.peakHeap?.usedBytes).toBeLessThanOrEqual(usage?.peakHeap?.totalBytes ?? 0);
    expect(usage?.activeMs).toBeGreaterThan(0);
  });

  it('answers 403 AccessDenied, not 404, for a missing object to a role that may not list the bucket, as S3 does', async () => {
    expect(await call('s3', 'GetObject', { Bucket: '$BUCKET', Key: 'in/never-written.json' })).toMatchObject({ ok: false, name: 'AccessDenied', status: 403 });
  });

  it('runs a function’s SQS poller as its role: a role that may not receive from its queue gets nothing', async () => {
    let refused = false;
    for (let i = 0; i < 50 && !refused; i += 1) {
      refused = local.functions.accessRefusals().some((r) => r.functionLogicalId === 'Consumer' && r.action === 'sqs:ReceiveMessage');
      if (!refused) await sleep(100);
    }
    expect(refused).toBe(true);
  });

  it('the same call, allowed, is refused once its one statement is removed from the template', async () => {
    // Statement 2 grants sqs:SendMessage on the Granted queue.
    const cut = await startOnEmulators(removedAfterFile(writeFakeAssembly('IamCut', withoutStatement(2), BUNDLES)), 'iamcut', { schedules: false, enforcePolicies: true });
    try {
      const input = { QueueUrl: '$GRANTED_QUEUE', MessageBody: 'hi' };
      expect(await call('sqs', 'SendMessage', input)).toMatchObject({ ok: true });
      expect(await call('sqs', 'SendMessage', input, cut)).toMatchObject({ ok: false, name: 'AccessDenied' });
      expect(cut.functions.accessRefusals().filter((r) => r.functionLogicalId === 'Caller')).toEqual([expect.objectContaining({ functionLogicalId: 'Caller', action: 'sqs:SendMessage' })]);
    } finally {
      await cut.stop();
    }
  });
});
