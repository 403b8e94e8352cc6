import { UnclassifiedRequestError } from '../../errors';
import { functionNameParts, invokeTarget } from '../lambda/function-name';
import type { ContextValue } from './policy-evaluation';

/** A request as it reached the gate, its body read. */
export interface GateRequest {
  /** The signing name of its SigV4 credential scope: `dynamodb`, `sqs`, `sns`, `s3`, `ses`, `ssm`, `kms`, `lambda`. */
  readonly service: string;
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Where the gate finds the ARNs of what a request names (the stack's own resources first). */
export interface ResourceNames {
  readonly region: string;
  readonly accountId: string;
  /** A table's ARN by its name (DynamoDB Local answers ARNs of its own region; the stack's `Fn::GetAtt` gives those). */
  tableArn(name: string): string;
  /** A queue's ARN by its name. */
  queueArn(name: string): string;
  /** A key's ARN by its id or ARN. */
  keyArn(keyId: string): string;
  /** The SES identity that sends as `address`: the address itself if the template has that identity, else its domain. */
  sesIdentity(address: string): string;
  /** A function's (unqualified) ARN by its name, in the region and account given or the stack's. */
  functionArn(name: string, region?: string, accountId?: string): string;
}

/** One authorization a request needs, before the caller's global keys are added. */
export interface RequiredPermission {
  readonly action: string;
  readonly resource: string;
  /** Service condition keys of this request. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /** Service condition keys the gate derives for this request, present or not. */
  readonly knownKeys: readonly string[];
}

/** What the gate makes of a request: its operation and every permission it needs. */
export interface ClassifiedRequest {
  readonly operation: string;
  readonly permissions: readonly RequiredPermission[];
}

/**
 * The action(s) and resource(s) IAM authorizes for a request to one of the emulated services,
 * as AWS's service authorization reference lists them: DynamoDB (each table of a batch, each
 * item of a transaction as its own action), SQS (batch calls as their single action), SNS, S3
 * (REST paths, path-style), SES v2 (REST paths; identity and configuration set), SSM, KMS and
 * Lambda's `Invoke`.
 *
 * @example
 * classifyRequest({ service: 'sqs', method: 'POST', url: '/', headers: { 'x-amz-target': 'AmazonSQS.SendMessage' }, body }, names)
 * // { operation: 'SendMessage', permissions: [{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:000000000000:q', ... }] }
 */
export function classifyRequest(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  switch (request.service) {
    case 'dynamodb':
      return dynamoDb(request, names);
    case 'sqs':
      return sqs(request, names);
    case 'sns':
      return sns(request);
    case 's3':
      return s3(request);
    case 'ses':
      return ses(request, names);
    case 'ssm':
      return ssm(request, names);
    case 'kms':
      return kms(request, names);
    case 'lambda':
      return lambda(request, names);
    default:
      throw new UnclassifiedRequestError(`the local IAM gate does not know the service "${request.service}"`);
  }
}

const permission = (action: string, resource: string, context: Record<string, ContextValue> = {}, knownKeys: readonly string[] = []): RequiredPermission => ({
  action,
  resource,
  context,
  knownKeys,
});

function header(request: GateRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function jsonBody(request: GateRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UnclassifiedRequestError(`the ${request.service} request's body is not JSON`);
  }
}

/** JSON protocols: the operation from `X-Amz-Target: <prefix>.<Operation>`. */
function targetOperation(request: GateRequest): string {
  const target = header(request, 'x-amz-target');
  if (!target) throw new UnclassifiedRequestError(`a ${request.service} request without X-Amz-Target (${request.method} ${request.url})`);
  return target.slice(target.lastIndexOf('.') + 1);
}

function formBody(request: GateRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

// ---- DynamoDB ----

function dynamoDb(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const operation = targetOperation(request);
  const body = jsonBody(request);
  const table = (name: unknown): string => (String(name).startsWith('arn:') ? String(name) : names.tableArn(String(name)));
  const tablesOf = (items: unknown): string[] => Object.keys((items ?? {}) as Record<string, unknown>);
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return { operation, permissions: tablesOf(body.RequestItems).map((name) => permission(`dynamodb:${operation}`, table(name))) };
    case 'TransactWriteItems': {
      const kinds: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
      const items = (body.TransactItems ?? []) as Record<string, { TableName?: string }>[];
      return {
        operation,
        permissions: items.flatMap((item) =>
          Object.entries(item)
            .filter(([kind]) => kinds[kind] !== undefined)
            .map(([kind, value]) => permission(`dynamodb:${kinds[kind]}`, table(value.TableName))),
        ),
      };
    }
    case 'TransactGetItems': {
      const items = (body.TransactItems ?? []) as { Get?: { TableName?: string } }[];
      return { operation, permissions: items.map((item) => permission('dynamodb:GetItem', table(item.Get?.TableName))) };
    }
    case 'ListTables':
      return { operation, permissions: [permission('dynamodb:ListTables', '*')] };
    default: {
      const name = body.TableName ?? body.TableArn ?? body.ResourceArn;
      if (name === undefined) throw new UnclassifiedRequestError(`DynamoDB ${operation} names no table`);
      const index = typeof body.IndexName === 'string' ? `/index/${body.IndexName}` : '';
      return { operation, permissions: [permission(`dynamodb:${operation}`, `${table(name)}${index}`)] };
    }
  }
}

// ---- SQS (JSON 1.0, or the query protocol) ----

const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function sqs(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const json = header(request, 'x-amz-target') !== undefined;
  const form = json ? undefined : formBody(request);
  const operation = json ? targetOperation(request) : (form?.get('Action') ?? '');
  if (operation === '') throw new UnclassifiedRequestError(`an SQS request with no operation (${request.method} ${request.url})`);
  const body = json ? jsonBody(request) : Object.fromEntries(form ?? []);
  const action = `sqs:${SQS_BATCH_ACTIONS[operation] ?? operation}`;
  if (operation === 'ListQueues') return { operation, permissions: [permission(action, '*')] };
  const queueName = typeof body.QueueUrl === 'string' ? body.QueueUrl.split('/').filter(Boolean).at(-1) : typeof body.QueueName === 'string' ? body.QueueName : undefined;
  if (queueName === undefined) throw new UnclassifiedRequestError(`SQS ${operation} names no queue`);
  return { operation, permissions: [permission(action, names.queueArn(queueName))] };
}

// ---- SNS (query protocol) ----

function sns(request: GateRequest): ClassifiedRequest {
  const form = formBody(request);
  const operation = form.get('Action') ?? '';
  if (operation === '') throw new UnclassifiedRequestError(`an SNS request with no Action (${request.method} ${request.url})`);
  const action = `sns:${operation === 'PublishBatch' ? 'Publish' : operation}`;
  const arn = form.get('TopicArn') ?? form.get('TargetArn') ?? form.get('SubscriptionArn') ?? form.get('ResourceArn');
  return { operation, permissions: [permission(action, arn ?? '*')] };
}

// ---- S3 (REST, path-style) ----

function s3(request: GateRequest): ClassifiedRequest {
  const url = new URL(request.url, 'http://local');
  const [bucket = '', ...rest] = url.pathname.split('/').filter((_, i) => i > 0);
  const key = decodeURIComponent(rest.join('/'));
  const query = url.searchParams;
  const method = request.method.toUpperCase();
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  if (bucket === '') {
    if (method === 'GET') return { operation: 'ListBuckets', permissions: [permission('s3:ListAllMyBuckets', '*')] };
    throw new UnclassifiedRequestError(`S3 ${method} / is not a request the gate knows`);
  }
  if (key === '') {
    if (method === 'GET' && query.has('uploads')) return { operation: 'ListMultipartUploads', permissions: [permission('s3:ListBucketMultipartUploads', bucketArn)] };
    if (method === 'GET' && query.has('versions')) return { operation: 'ListObjectVersions', permissions: [permission('s3:ListBucketVersions', bucketArn)] };
    if (method === 'GET' && query.has('location')) return { operation: 'GetBucketLocation', permissions: [permission('s3:GetBucketLocation', bucketArn)] };
    if (method === 'GET' || method === 'HEAD') return { operation: method === 'GET' ? 'ListObjects' : 'HeadBucket', permissions: [permission('s3:ListBucket', bucketArn)] };
    if (method === 'POST' && query.has('delete')) {
      // DeleteObjects: each key needs s3:DeleteObject.
      const keys = [...request.body.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((match) => unescapeXml(match[1] ?? ''));
      return { operation: 'DeleteObjects', permissions: keys.map((k) => permission('s3:DeleteObject', `${bucketArn}/${k}`)) };
    }
    throw new UnclassifiedRequestError(`S3 ${method} ${request.url} (a bucket request) is not one the gate knows`);
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (query.has('tagging')) return { operation: 'GetObjectTagging', permissions: [permission('s3:GetObjectTagging', objectArn)] };
      if (query.has('uploadId')) return { operation: 'ListParts', permissions: [permission('s3:ListMultipartUploadParts', objectArn)] };
      return { operation: method === 'GET' ? 'GetObject' : 'HeadObject', permissions: [permission('s3:GetObject', objectArn)] };
    case 'PUT': {
      if (query.has('tagging')) return { operation: 'PutObjectTagging', permissions: [permission('s3:PutObjectTagging', objectArn)] };
      const source = header(request, 'x-amz-copy-source');
      const put = permission('s3:PutObject', objectArn);
      if (source === undefined) return { operation: query.has('uploadId') ? 'UploadPart' : 'PutObject', permissions: [put] };
      const from = decodeURIComponent(source.replace(/^\//, '').split('?')[0] ?? '');
      return { operation: 'CopyObject', permissions: [permission('s3:GetObject', `arn:aws:s3:::${from}`), put] };
    }
    case 'POST':
      // CreateMultipartUpload (?uploads) and CompleteMultipartUpload (?uploadId) are both s3:PutObject.
      if (query.has('uploads') || query.has('uploadId')) return { operation: 'MultipartUpload', permissions: [permission('s3:PutObject', objectArn)] };
      throw new UnclassifiedRequestError(`S3 POST ${request.url} is not a request the gate knows`);
    case 'DELETE':
      if (query.has('uploadId')) return { operation: 'AbortMultipartUpload', permissions: [permission('s3:AbortMultipartUpload', objectArn)] };
      return { operation: 'DeleteObject', permissions: [permission('s3:DeleteObject', objectArn)] };
    default:
      throw new UnclassifiedRequestError(`S3 ${method} ${request.url} is not a request the gate knows`);
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

// ---- SES v2 (REST JSON) ----

/** SES v2 paths the gate knows: method, path pattern, operation, action; resources `*` unless said below. */
const SES_ROUTES: readonly (readonly [string, RegExp, string])[] = [
  ['POST', /^\/v2\/email\/outbound-emails$/, 'SendEmail'],
  ['POST', /^\/v2\/email\/outbound-bulk-emails$/, 'SendBulkEmail'],
  ['GET', /^\/v2\/email\/account$/, 'GetAccount'],
  ['GET', /^\/v2\/email\/suppression\/addresses\/[^/]+$/, 'GetSuppressedDestination'],
  ['DELETE', /^\/v2\/email\/suppression\/addresses\/[^/]+$/, 'DeleteSuppressedDestination'],
  ['PUT', /^\/v2\/email\/suppression\/addresses$/, 'PutSuppressedDestination'],
  ['GET', /^\/v2\/email\/suppression\/addresses$/, 'ListSuppressedDestinations'],
];

/** The condition keys of SES v2's send actions the gate derives. */
const SES_SEND_KEYS = ['ses:FromAddress', 'ses:FromDisplayName', 'ses:Recipients', 'ses:FeedbackAddress', 'ses:ApiVersion'];

function ses(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const path = new URL(request.url, 'http://local').pathname;
  const route = SES_ROUTES.find(([method, pattern]) => method === request.method.toUpperCase() && pattern.test(path));
  if (route === undefined) throw new UnclassifiedRequestError(`SES v2 ${request.method} ${path} is not a request the gate knows`);
  const operation = route[2];
  const action = `ses:${operation}`;
  if (operation !== 'SendEmail' && operation !== 'SendBulkEmail') return { operation, permissions: [permission(action, '*')] };

  const body = jsonBody(request);
  const from = parseAddress(String(body.FromEmailAddress ?? ''));
  const destination = (body.Destination ?? {}) as Record<string, string[] | undefined>;
  const recipients = [...(destination.ToAddresses ?? []), ...(destination.CcAddresses ?? []), ...(destination.BccAddresses ?? [])].map((a) => parseAddress(a).address);
  const context: Record<string, ContextValue> = { 'ses:ApiVersion': '2', 'ses:Recipients': recipients };
  if (from.address) context['ses:FromAddress'] = from.address;
  if (from.displayName) context['ses:FromDisplayName'] = from.displayName;
  if (typeof body.FeedbackForwardingEmailAddress === 'string') context['ses:FeedbackAddress'] = parseAddress(body.FeedbackForwardingEmailAddress).address;
  const identityArn = typeof body.FromEmailAddressIdentityArn === 'string'
    ? body.FromEmailAddressIdentityArn
    : `arn:aws:ses:${names.region}:${names.accountId}:identity/${names.sesIdentity(from.address)}`;
  const permissions = [permission(action, identityArn, context, SES_SEND_KEYS)];
  if (typeof body.ConfigurationSetName === 'string') {
    permissions.push(permission(action, `arn:aws:ses:${names.region}:${names.accountId}:configuration-set/${body.ConfigurationSetName}`, context, SES_SEND_KEYS));
  }
  return { operation, permissions };
}

/** `Name <a@b>` or `a@b` → its parts. */
function parseAddress(text: string): { address: string; displayName?: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(text);
  if (match) return { address: (match[2] ?? '').trim(), ...(match[1] ? { displayName: match[1].trim() } : {}) };
  return { address: text.trim() };
}

// ---- SSM, KMS (JSON 1.1) ----

function ssm(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const operation = targetOperation(request);
  const body = jsonBody(request);
  const arn = (name: string): string =>
    name.startsWith('arn:') ? name : `arn:aws:ssm:${names.region}:${names.accountId}:parameter/${name.replace(/^\//, '')}`;
  const parameterNames = Array.isArray(body.Names) ? body.Names.map(String) : typeof body.Name === 'string' ? [body.Name] : [];
  if (parameterNames.length === 0) throw new UnclassifiedRequestError(`SSM ${operation} names no parameter`);
  const action = `ssm:${operation === 'DeleteParameters' ? 'DeleteParameter' : operation}`;
  return { operation, permissions: parameterNames.map((name) => permission(action, arn(name))) };
}

/** The condition keys of KMS the gate derives; `kms:ViaService` and `kms:GrantIsForAWSResource` are known absent (a function's own call). */
const KMS_KEYS = ['kms:MacAlgorithm', 'kms:EncryptionAlgorithm', 'kms:SigningAlgorithm', 'kms:CallerAccount', 'kms:ViaService', 'kms:GrantIsForAWSResource'];

function kms(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const operation = targetOperation(request);
  const body = jsonBody(request);
  const context: Record<string, ContextValue> = { 'kms:CallerAccount': names.accountId };
  if (typeof body.MacAlgorithm === 'string') context['kms:MacAlgorithm'] = body.MacAlgorithm;
  if (typeof body.EncryptionAlgorithm === 'string') context['kms:EncryptionAlgorithm'] = body.EncryptionAlgorithm;
  if (typeof body.SigningAlgorithm === 'string') context['kms:SigningAlgorithm'] = body.SigningAlgorithm;
  const action = `kms:${operation}`;
  if (typeof body.KeyId !== 'string') return { operation, permissions: [permission(action, '*', context, KMS_KEYS)] };
  return { operation, permissions: [permission(action, names.keyArn(body.KeyId), context, KMS_KEYS)] };
}

// ---- Lambda (REST JSON): Invoke ----

/** Known on a direct `Invoke`, and absent from it: Lambda sets it only for an invocation through a function URL. */
const LAMBDA_INVOKE_KEYS = ['lambda:InvokedViaFunctionUrl'];

function lambda(request: GateRequest, names: ResourceNames): ClassifiedRequest {
  const target = invokeTarget(request.url);
  if (request.method.toUpperCase() !== 'POST' || target === undefined) {
    throw new UnclassifiedRequestError(`Lambda ${request.method} ${request.url.split('?')[0]} is not a request the gate knows (it knows Invoke)`);
  }
  const parts = functionNameParts(target.functionName);
  if (parts === undefined) throw new UnclassifiedRequestError(`Lambda Invoke names no function the gate can read ("${target.functionName}")`);
  // A qualified invocation (a version or alias) is authorized on the qualified ARN, as IAM does.
  const qualifier = target.qualifier ?? parts.qualifier;
  const arn = names.functionArn(parts.name, parts.region, parts.accountId);
  return { operation: 'Invoke', permissions: [permission('lambda:InvokeFunction', qualifier ? `${arn}:${qualifier}` : arn, {}, LAMBDA_INVOKE_KEYS)] };
}
