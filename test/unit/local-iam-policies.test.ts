import { describe, expect, it } from 'vitest';
import { arnMatches, type AuthorizationRequest, classifyRequest, evaluateStatements, type GateRequest, type PolicyStatement, type ResourceNames } from '@registry-notices/local-stack';

const TABLE = 'arn:aws:dynamodb:ddblocal:000000000000:table/S-Ledger';
const request = (action: string, resource: string, context: AuthorizationRequest['context'] = {}, known: string[] = []): AuthorizationRequest => ({
  action,
  resource,
  context,
  knownKeys: new Set(known),
});
const allow = (statement: Omit<PolicyStatement, 'Effect'>): PolicyStatement => ({ Effect: 'Allow', ...statement });

describe('evaluateStatements: IAM for one set of statements', () => {
  it('allows an action and resource a statement names, and nothing else (implicit deny)', () => {
    const statements = [allow({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE })];
    expect(evaluateStatements(statements, request('dynamodb:PutItem', TABLE)).effect).toBe('allow');
    expect(evaluateStatements(statements, request('dynamodb:DeleteItem', TABLE)).effect).toBe('none');
    expect(evaluateStatements(statements, request('dynamodb:PutItem', `${TABLE}-other`)).effect).toBe('none');
    expect(evaluateStatements(statements, request('dynamodb:Query', `${TABLE}/index/byAddress`)).effect).toBe('none');
  });

  it('matches actions case-insensitively with wildcards, resources case-sensitively', () => {
    const statements = [allow({ Action: 'DynamoDB:Get*', Resource: `${TABLE}/index/*` })];
    expect(evaluateStatements(statements, request('dynamodb:GetItem', `${TABLE}/index/byOwner`)).effect).toBe('allow');
    expect(evaluateStatements(statements, request('dynamodb:GetItem', `${TABLE.toUpperCase()}/index/byOwner`)).effect).toBe('none');
    expect(evaluateStatements([allow({ Action: 'sqs:?endMessage', Resource: '*' })], request('sqs:SendMessage', 'arn:aws:sqs:r:1:q')).effect).toBe('allow');
  });

  it('keeps a wildcard of an ARN within its segment, and lets the resource part span / and :', () => {
    expect(arnMatches('arn:aws:sqs:*:000000000000:q', 'arn:aws:sqs:us-east-1:000000000000:q')).toBe(true);
    expect(arnMatches('arn:aws:sqs:*:111111111111:q', 'arn:aws:sqs:us-east-1:000000000000:q')).toBe(false);
    // IAM: a trailing * may reach beyond its segment.
    expect(arnMatches('arn:aws:sqs:us-*', 'arn:aws:sqs:us-east-1:000000000000:q')).toBe(true);
    expect(arnMatches('arn:aws:s3:::bucket/reports/*', 'arn:aws:s3:::bucket/reports/a/b:c.json')).toBe(true);
    expect(arnMatches('arn:aws:s3:::bucket/reports/*', 'arn:aws:s3:::bucket/directory/a.jsonl')).toBe(false);
  });

  it('an explicit Deny wins over any Allow', () => {
    const statements: PolicyStatement[] = [allow({ Action: 'dynamodb:*', Resource: '*' }), { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE }];
    expect(evaluateStatements(statements, request('dynamodb:DeleteItem', TABLE)).effect).toBe('deny');
    expect(evaluateStatements(statements, request('dynamodb:PutItem', TABLE)).effect).toBe('allow');
  });

  it('NotAction and NotResource match everything but what they name', () => {
    const statements: PolicyStatement[] = [allow({ NotAction: 'dynamodb:Delete*', NotResource: `${TABLE}/index/*` })];
    expect(evaluateStatements(statements, request('dynamodb:PutItem', TABLE)).effect).toBe('allow');
    expect(evaluateStatements(statements, request('dynamodb:DeleteItem', TABLE)).effect).toBe('none');
    expect(evaluateStatements(statements, request('dynamodb:Query', `${TABLE}/index/byAddress`)).effect).toBe('none');
  });

  it('evaluates conditions on keys the request carries, with IAM’s rules for a missing one', () => {
    const mac = allow({ Action: 'kms:GenerateMac', Resource: '*', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } } });
    const known = ['kms:MacAlgorithm', 'kms:ViaService'];
    expect(evaluateStatements([mac], request('kms:GenerateMac', 'k', { 'kms:MacAlgorithm': 'HMAC_SHA_256' }, known)).effect).toBe('allow');
    expect(evaluateStatements([mac], request('kms:GenerateMac', 'k', { 'kms:MacAlgorithm': 'HMAC_SHA_512' }, known)).effect).toBe('none');
    // A key the request lacks: a positive operator fails, IfExists and a negated one hold.
    const via = allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } } });
    expect(evaluateStatements([via], request('kms:Decrypt', 'k', {}, known)).effect).toBe('none');
    const viaIfExists = allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { StringEqualsIfExists: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } } });
    expect(evaluateStatements([viaIfExists], request('kms:Decrypt', 'k', {}, known)).effect).toBe('allow');
    const notVia = allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:ViaService': 'x' } } });
    expect(evaluateStatements([notVia], request('kms:Decrypt', 'k', {}, known)).effect).toBe('allow');
    const absent = allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { Null: { 'kms:ViaService': 'true' } } });
    expect(evaluateStatements([absent], request('kms:Decrypt', 'k', {}, known)).effect).toBe('allow');
  });

  it('ForAllValues and ForAnyValue over a multi-valued key', () => {
    const only = allow({ Action: 'ses:SendEmail', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] } } });
    const send = (recipients: string[]) => request('ses:SendEmail', 'i', { 'ses:Recipients': recipients }, ['ses:Recipients']);
    expect(evaluateStatements([only], send(['a@example.com', 'b@example.com'])).effect).toBe('allow');
    expect(evaluateStatements([only], send(['a@example.com', 'b@elsewhere.org'])).effect).toBe('none');
    const any = allow({ Action: 'ses:SendEmail', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'ses:Recipients': ['b@elsewhere.org'] } } });
    expect(evaluateStatements([any], send(['a@example.com', 'b@elsewhere.org'])).effect).toBe('allow');
    expect(evaluateStatements([any], send(['a@example.com'])).effect).toBe('none');
  });

  it('a key it cannot evaluate counts as met in an Allow and as not met in a Deny, and is named', () => {
    const statements: PolicyStatement[] = [
      allow({ Action: 'dynamodb:Query', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['x'] } } }),
      { Effect: 'Deny', Action: 'dynamodb:Query', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ];
    const decision = evaluateStatements(statements, request('dynamodb:Query', TABLE));
    expect(decision.effect).toBe('allow');
    expect(decision.unevaluated).toEqual(['dynamodb:LeadingKeys', 'aws:SourceIp']);
  });
});

const names: ResourceNames = {
  region: 'us-east-1',
  accountId: '000000000000',
  tableArn: (name) => `arn:aws:dynamodb:ddblocal:000000000000:table/${name}`,
  queueArn: (name) => `arn:aws:sqs:us-east-1:000000000000:${name}`,
  keyArn: (id) => `arn:aws:kms:us-east-1:000000000000:key/${id}`,
  sesIdentity: (address) => address.split('@')[1] ?? address,
  functionArn: (name, region = 'us-east-1', accountId = '000000000000') => `arn:aws:lambda:${region}:${accountId}:function:${name}`,
};
const json = (service: string, target: string, body: unknown): GateRequest => ({
  service,
  method: 'POST',
  url: '/',
  headers: { 'x-amz-target': target },
  body: Buffer.from(JSON.stringify(body)),
});
const rest = (service: string, method: string, url: string, body = '', headers: Record<string, string> = {}): GateRequest => ({ service, method, url, headers, body: Buffer.from(body) });
const actionsOn = (request: GateRequest) => classifyRequest(request, names).permissions.map((p) => `${p.action} ${p.resource}`);

describe('classifyRequest: the action and resource of each request, as IAM authorizes it', () => {
  it('DynamoDB: the table, its index, every table of a batch, each item of a transaction as its own action', () => {
    expect(actionsOn(json('dynamodb', 'DynamoDB_20120810.Query', { TableName: 'L', IndexName: 'byAddress' }))).toEqual([
      'dynamodb:Query arn:aws:dynamodb:ddblocal:000000000000:table/L/index/byAddress',
    ]);
    expect(actionsOn(json('dynamodb', 'DynamoDB_20120810.BatchGetItem', { RequestItems: { A: {}, B: {} } }))).toEqual([
      'dynamodb:BatchGetItem arn:aws:dynamodb:ddblocal:000000000000:table/A',
      'dynamodb:BatchGetItem arn:aws:dynamodb:ddblocal:000000000000:table/B',
    ]);
    expect(
      actionsOn(json('dynamodb', 'DynamoDB_20120810.TransactWriteItems', { TransactItems: [{ Put: { TableName: 'L' } }, { ConditionCheck: { TableName: 'C' } }, { Delete: { TableName: 'L' } }] })),
    ).toEqual([
      'dynamodb:PutItem arn:aws:dynamodb:ddblocal:000000000000:table/L',
      'dynamodb:ConditionCheckItem arn:aws:dynamodb:ddblocal:000000000000:table/C',
      'dynamodb:DeleteItem arn:aws:dynamodb:ddblocal:000000000000:table/L',
    ]);
  });

  it('SQS: the queue of its URL; a batch call is its single action', () => {
    expect(actionsOn(json('sqs', 'AmazonSQS.SendMessageBatch', { QueueUrl: 'http://127.0.0.1:1/000000000000/q', Entries: [] }))).toEqual(['sqs:SendMessage arn:aws:sqs:us-east-1:000000000000:q']);
    expect(actionsOn(json('sqs', 'AmazonSQS.DeleteMessageBatch', { QueueUrl: 'http://127.0.0.1:1/000000000000/q' }))).toEqual(['sqs:DeleteMessage arn:aws:sqs:us-east-1:000000000000:q']);
  });

  it('S3: objects and buckets from the path, DeleteObjects per key, a copy reads its source', () => {
    expect(actionsOn(rest('s3', 'GET', '/b/directory/a%20b.jsonl'))).toEqual(['s3:GetObject arn:aws:s3:::b/directory/a b.jsonl']);
    expect(actionsOn(rest('s3', 'PUT', '/b/reports/x.json'))).toEqual(['s3:PutObject arn:aws:s3:::b/reports/x.json']);
    expect(actionsOn(rest('s3', 'GET', '/b?list-type=2&prefix=reports/'))).toEqual(['s3:ListBucket arn:aws:s3:::b']);
    expect(actionsOn(rest('s3', 'POST', '/b?delete', '<Delete><Object><Key>a</Key></Object><Object><Key>r/b&amp;c</Key></Object></Delete>'))).toEqual([
      's3:DeleteObject arn:aws:s3:::b/a',
      's3:DeleteObject arn:aws:s3:::b/r/b&c',
    ]);
    expect(actionsOn(rest('s3', 'PUT', '/b/to', '', { 'x-amz-copy-source': '/b/from' }))).toEqual(['s3:GetObject arn:aws:s3:::b/from', 's3:PutObject arn:aws:s3:::b/to']);
  });

  it('SES v2: SendEmail on the sender identity and the configuration set, with the sender and recipients as condition keys', () => {
    const send = classifyRequest(
      rest('ses', 'POST', '/v2/email/outbound-emails', JSON.stringify({ FromEmailAddress: 'Gifts <gifts@notices.example.com>', ConfigurationSetName: 'cs', Destination: { ToAddresses: ['a@x.org'] } })),
      names,
    );
    expect(send.permissions.map((p) => p.resource)).toEqual(['arn:aws:ses:us-east-1:000000000000:identity/notices.example.com', 'arn:aws:ses:us-east-1:000000000000:configuration-set/cs']);
    expect(send.permissions[0]?.context).toMatchObject({ 'ses:FromAddress': 'gifts@notices.example.com', 'ses:FromDisplayName': 'Gifts', 'ses:Recipients': ['a@x.org'] });
    expect(actionsOn(rest('ses', 'DELETE', '/v2/email/suppression/addresses/a%40x.org'))).toEqual(['ses:DeleteSuppressedDestination *']);
  });

  it('SSM and KMS: the parameter ARN from its name, the key ARN from its id, the MAC algorithm as a condition key', () => {
    expect(actionsOn(json('ssm', 'AmazonSSM.GetParameter', { Name: '/registry-notices/sending-paused' }))).toEqual([
      'ssm:GetParameter arn:aws:ssm:us-east-1:000000000000:parameter/registry-notices/sending-paused',
    ]);
    const mac = classifyRequest(json('kms', 'TrentService.GenerateMac', { KeyId: 'k1', MacAlgorithm: 'HMAC_SHA_256' }), names);
    expect(mac.permissions[0]).toMatchObject({ action: 'kms:GenerateMac', resource: 'arn:aws:kms:us-east-1:000000000000:key/k1', context: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } });
  });

  it('Lambda Invoke: lambda:InvokeFunction on the function the name, full or partial ARN names (URL-encoded, as the SDK sends it), qualified when a qualifier is given', () => {
    const invoke = (name: string, query = '') => actionsOn(rest('lambda', 'POST', `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`, '{}'));
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:S-Preview';
    expect(invoke('S-Preview')).toEqual([`lambda:InvokeFunction ${arn}`]);
    expect(invoke(arn)).toEqual([`lambda:InvokeFunction ${arn}`]);
    expect(invoke('000000000000:function:S-Preview')).toEqual([`lambda:InvokeFunction ${arn}`]);
    expect(invoke('S-Preview:live')).toEqual([`lambda:InvokeFunction ${arn}:live`]);
    expect(invoke('S-Preview', '?Qualifier=7')).toEqual([`lambda:InvokeFunction ${arn}:7`]);
    expect(invoke('arn:aws:lambda:eu-west-1:111122223333:function:Other')).toEqual(['lambda:InvokeFunction arn:aws:lambda:eu-west-1:111122223333:function:Other']);
    // A direct invocation carries no lambda:InvokedViaFunctionUrl: an Allow that requires it does not apply.
    expect(classifyRequest(rest('lambda', 'POST', '/2015-03-31/functions/S-Preview/invocations'), names).permissions[0]?.knownKeys).toContain('lambda:InvokedViaFunctionUrl');
  });

  it('refuses to guess: a request it cannot classify is an error naming it', () => {
    expect(() => classifyRequest(rest('ses', 'POST', '/v2/email/contact-lists'), names)).toThrow(/SES v2 POST \/v2\/email\/contact-lists/);
    expect(() => classifyRequest(rest('lambda', 'GET', '/2015-03-31/functions/f'), names)).toThrow(/Lambda GET \/2015-03-31\/functions\/f is not a request the gate knows/);
    expect(() => classifyRequest(rest('states', 'POST', '/'), names)).toThrow(/does not know the service "states"/);
  });
});
