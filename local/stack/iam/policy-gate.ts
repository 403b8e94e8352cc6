import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnclassifiedRequestError } from '../../errors';
import { listenLocal } from '../lambda/local-http';
import { classifyRequest, type GateRequest, type RequiredPermission, type ResourceNames } from './aws-requests';
import { evaluateStatements, principalMatch, type AuthorizationRequest, type PolicyStatement } from './policy-evaluation';
import type { FunctionIdentity, KeyPolicies } from './role-policies';

/** The signing names of the services the gate fronts. */
export type GatedService = 'sqs' | 'sns' | 's3' | 'ses' | 'dynamodb' | 'ssm' | 'kms' | 'lambda';

/** A call the gate refused, as the tests and stack.log see it. */
export interface AccessRefusal {
  readonly functionLogicalId: string;
  readonly action: string;
  readonly resource: string;
  /** The message the caller got. */
  readonly message: string;
}

/**
 * One kind of call the gate forwarded, as the emulator answered it, and how many so far
 * (benchmarks: requests per unit of work, throttles and errors by type).
 */
export interface GateCall {
  readonly functionLogicalId: string;
  readonly service: GatedService;
  /** The API operation (`PutItem`, `SendEmail`, ...). */
  readonly operation: string;
  /** The HTTP status the caller got (503 when the emulator refused the gate's connection). */
  readonly status: number;
  /** For an answer of 400 or more, the service's error code (`ConditionalCheckFailedException`, `ThrottlingException`, ...). */
  readonly errorType?: string;
  readonly count: number;
}

/** What {@link PolicyGate} needs. */
export interface PolicyGateOptions {
  /** Where each service really is (the emulators, the local Lambda endpoint), by signing name. */
  readonly upstreams: Readonly<Partial<Record<GatedService, string>>>;
  /** Each function's identity, by the access key id it was given. */
  readonly identities: ReadonlyMap<string, FunctionIdentity>;
  /** KMS key policies, by key ARN. */
  readonly keyPolicies: KeyPolicies;
  readonly names: ResourceNames;
  /** Refusals, and once per function and key the condition keys it could not evaluate. */
  readonly log?: (line: string) => void;
}

/** Global condition keys the gate knows for a function's own call: the caller's, and those only a service's call would carry (absent). */
const GLOBAL_KNOWN_KEYS = [
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:PrincipalType',
  'aws:RequestedRegion',
  'aws:SecureTransport',
  'aws:ViaAWSService',
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:CalledVia',
  'aws:CalledViaFirst',
  'aws:CalledViaLast',
  'aws:SourceVpc',
  'aws:SourceVpce',
];

/**
 * IAM on the local stack: an HTTP server the functions' SDK clients reach instead of the
 * emulators (their `AWS_ENDPOINT_URL_*`). It knows each function by the access key id it was
 * given, works out the action(s) and resource(s) of each request (`aws-requests.ts`), evaluates
 * the function's role's identity policies from the template (and, for KMS, the key's policy),
 * and either forwards the request to the emulator or answers as AWS refuses it: the service's
 * own `AccessDenied…` error, naming the function, the action and the resource.
 *
 * @example
 * const gate = new PolicyGate({ upstreams: { sqs: endpoints.sqs }, identities, keyPolicies, names });
 * await gate.start();   // gate.url goes into every function's AWS_ENDPOINT_URL_SQS
 */
export class PolicyGate {
  #server: Server | undefined;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #refusals: AccessRefusal[] = [];
  readonly #reported = new Set<string>();
  #calls = new Map<string, GateCall>();

  constructor(private readonly options: PolicyGateOptions) {}

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('The policy gate is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Every call refused so far. */
  get refusals(): readonly AccessRefusal[] {
    return this.#refusals;
  }

  /** The calls forwarded since the start (or the last {@link resetCalls}), by function, operation and answer. */
  calls(): readonly GateCall[] {
    return [...this.#calls.values()];
  }

  resetCalls(): void {
    this.#calls = new Map();
  }

  #count(functionLogicalId: string, service: GatedService, operation: string, status: number, errorType: string | undefined): void {
    const key = `${functionLogicalId} ${service} ${operation} ${status} ${errorType ?? ''}`;
    const seen = this.#calls.get(key);
    this.#calls.set(key, { functionLogicalId, service, operation, status, ...(errorType ? { errorType } : {}), count: (seen?.count ?? 0) + 1 });
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`local IAM gate: ${String(error)}`);
      });
    });
    await listenLocal(server);
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#agent.destroy();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // the SDK keeps connections alive
    });
  }

  async #handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const credential = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(headerOf(incoming, 'authorization') ?? '');
    const service = (credential?.[3] ?? '') as GatedService;
    const request: GateRequest = { service, method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body };
    const upstream = this.options.upstreams[service];
    if (!credential || upstream === undefined) {
      refuse(outgoing, request, 'InvalidClientTokenId', `local IAM gate: a request not signed for a service it fronts (${request.method} ${request.url})`);
      return;
    }
    const identity = this.options.identities.get(credential[1] ?? '');
    if (identity === undefined) {
      refuse(outgoing, request, 'UnrecognizedClient', `local IAM gate: the access key ${credential[1]} is no function's of this stack`);
      return;
    }

    let needsListBucket: string | undefined;
    let operation = unclassifiedOperation(request);
    if (identity.statements !== undefined) {
      let permissions: readonly RequiredPermission[];
      try {
        ({ operation, permissions } = classifyRequest(request, this.options.names));
      } catch (error) {
        if (!(error instanceof UnclassifiedRequestError)) throw error;
        const message = `local IAM gate: ${error.message} (function ${identity.functionLogicalId}); teach local/stack/iam/aws-requests.ts`;
        this.options.log?.(message);
        refuse(outgoing, request, 'AccessDenied', message);
        return;
      }
      for (const required of permissions) {
        const verdict = this.#authorize(identity, required);
        if (verdict !== undefined) {
          const message =
            `User: ${identity.sessionArn} is not authorized to perform: ${required.action} on resource: ${required.resource} ${verdict} ` +
            `(local stack: function ${identity.functionLogicalId}, role ${identity.roleLogicalId ?? identity.roleArn}, ${service} ${operation})`;
          this.#refusals.push({ functionLogicalId: identity.functionLogicalId, action: required.action, resource: required.resource, message });
          this.options.log?.(`IAM refused ${identity.functionLogicalId}: ${required.action} on ${required.resource} ${verdict}`);
          refuse(outgoing, request, 'AccessDenied', message);
          return;
        }
      }
      // S3 answers 403, not 404, for a missing object to a caller that may not list the bucket.
      if (service === 's3' && (operation === 'GetObject' || operation === 'HeadObject')) {
        const bucket = (permissions[0]?.resource ?? '').split('/')[0] ?? '';
        const list = { action: 's3:ListBucket', resource: bucket, context: {}, knownKeys: [] };
        if (this.#authorize(identity, list) !== undefined) needsListBucket = bucket;
      }
    }
    const tally = (status: number, errorType: string | undefined): void => this.#count(identity.functionLogicalId, service, operation, status, errorType);
    await this.#forward(incoming, outgoing, request, upstream, needsListBucket, tally);
  }

  /** Undefined when allowed; else why not, in IAM's words. */
  #authorize(identity: FunctionIdentity, required: RequiredPermission): string | undefined {
    const { names } = this.options;
    const request: AuthorizationRequest = {
      action: required.action,
      resource: required.resource,
      context: {
        ...required.context,
        'aws:PrincipalArn': identity.roleArn,
        'aws:PrincipalAccount': names.accountId,
        'aws:PrincipalType': 'AssumedRole',
        'aws:RequestedRegion': names.region,
        // In AWS the SDK speaks https; locally http, but policies are written for AWS.
        'aws:SecureTransport': 'true',
        'aws:ViaAWSService': 'false',
      },
      knownKeys: new Set([...GLOBAL_KNOWN_KEYS, ...required.knownKeys]),
    };
    const decision = evaluateStatements(identity.statements ?? [], request);
    this.#reportUnevaluated(identity, decision.unevaluated);
    if (decision.effect === 'deny') return 'with an explicit deny in an identity-based policy';

    const keyPolicy = required.action.startsWith('kms:') ? this.options.keyPolicies.get(required.resource) : undefined;
    if (keyPolicy === undefined) {
      return decision.effect === 'allow' ? undefined : `because no identity-based policy allows the ${required.action} action`;
    }
    // KMS: the key policy decides; naming the account (its root) hands the decision to IAM.
    const principals = [identity.roleArn, identity.sessionArn];
    const applying = (statements: readonly PolicyStatement[], match: 'principal' | 'any'): PolicyStatement[] =>
      statements.filter((s) => {
        const m = principalMatch(s, principals, names.accountId);
        return match === 'any' ? m !== 'none' : m === 'principal';
      });
    const keyDeny = evaluateStatements(applying(keyPolicy, 'any').filter((s) => s.Effect === 'Deny'), request);
    this.#reportUnevaluated(identity, keyDeny.unevaluated);
    if (keyDeny.effect === 'deny') return 'with an explicit deny in a resource-based policy';
    const direct = evaluateStatements(applying(keyPolicy, 'principal'), request);
    if (direct.effect === 'allow') return undefined;
    const delegated = keyPolicy.filter((s) => principalMatch(s, principals, names.accountId) === 'account');
    const delegates = evaluateStatements(delegated, request).effect === 'allow';
    if (!delegates) return `because no resource-based policy allows the ${required.action} action`;
    return decision.effect === 'allow' ? undefined : `because no identity-based policy allows the ${required.action} action`;
  }

  #reportUnevaluated(identity: FunctionIdentity, keys: readonly string[]): void {
    for (const key of keys) {
      const id = `${identity.functionLogicalId} ${key}`;
      if (this.#reported.has(id)) continue;
      this.#reported.add(id);
      this.options.log?.(`IAM: ${identity.functionLogicalId}: condition ${key} is not evaluated locally (taken as met in an Allow, not met in a Deny)`);
    }
  }

  async #forward(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    request: GateRequest,
    upstream: string,
    listDenied: string | undefined,
    tally: (status: number, errorType: string | undefined) => void,
  ): Promise<void> {
    const target = new URL(upstream);
    const headers = { ...incoming.headers, host: target.host, 'content-length': String(request.body.length) };
    // The body is read whole: nothing to wait for, nothing chunked.
    delete headers.expect;
    delete headers['transfer-encoding'];
    const rewritesUrls = request.service === 'sqs' && /\.(GetQueueUrl|CreateQueue|ListQueues)$/.test(headerOf(incoming, 'x-amz-target') ?? '');
    await new Promise<void>((resolve, reject) => {
      const forward = httpRequest(
        { hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers, agent: this.#agent },
        (answer) => {
          countAnswer(answer, tally);
          if (listDenied !== undefined && answer.statusCode === 404) {
            answer.resume();
            refuse(outgoing, request, 'AccessDenied', 'Access Denied (local stack: the object does not exist, and the caller may not s3:ListBucket, so S3 answers 403)');
            resolve();
            return;
          }
          if (rewritesUrls) {
            void readBody(answer).then((payload) => {
              const text = payload.toString('utf8').split(target.origin).join(this.url);
              const { 'content-length': _length, ...rest } = answer.headers;
              outgoing.writeHead(answer.statusCode ?? 502, { ...rest, 'content-length': Buffer.byteLength(text) }).end(text);
              resolve();
            }, reject);
            return;
          }
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      forward.on('error', (error) => {
        // The emulator is down (a test stopped it). Refused before anything was forwarded: without the gate the caller
        // would get a refused connection (nothing received), but its connection to the gate is up, so a broken one would
        // read as "may have been received"; the gate answers 503 instead, which a caller also reads as "not taken, try
        // later". Broken once forwarded: the caller sees a broken connection, as it would without the gate.
        if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED' && !outgoing.headersSent) {
          tally(503, 'ServiceUnavailable');
          unavailable(outgoing, request, `local IAM gate: the ${request.service} emulator refused the connection`);
        } else outgoing.destroy(error);
        resolve();
      });
      forward.end(request.body);
    });
  }
}

// The operation of a request the gate did not classify (a function without policies): the
// JSON protocols' X-Amz-Target, else the method and path without ids.
function unclassifiedOperation(request: GateRequest): string {
  const target = /\.(\w+)$/.exec(String(request.headers['x-amz-target'] ?? ''))?.[1];
  if (target) return target;
  if (request.service === 'lambda' && /^\/2015-03-31\/functions\/[^/]+\/invocations/.test(request.url)) return 'Invoke';
  return `${request.method} ${(request.url.split('?')[0] ?? '').replace(/\/[^/]*\d[^/]*$/, '/:id')}`;
}

// Counts an answer once it ended: an error's code from the header, else from the body's first
// 2 kB (JSON `__type`, XML `<Code>`); only answers of 400 or more are read.
function countAnswer(answer: IncomingMessage, tally: (status: number, errorType: string | undefined) => void): void {
  const status = answer.statusCode ?? 502;
  if (status < 400) {
    tally(status, undefined);
    return;
  }
  const header = headerOf(answer, 'x-amzn-errortype')?.split(':')[0];
  let head = '';
  answer.on('data', (chunk: Buffer) => {
    if (head.length < 2048) head += chunk.toString('utf8');
  });
  answer.once('end', () => {
    const code = header || /"__type"\s*:\s*"([^"]+)"/.exec(head)?.[1]?.split('#').at(-1) || /<Code>([^<]+)<\/Code>/.exec(head)?.[1];
    tally(status, code || undefined);
  });
}

function headerOf(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The refusal in the service's own error shape, as its SDK parses it. */
function refuse(outgoing: ServerResponse, request: GateRequest, code: 'AccessDenied' | 'UnrecognizedClient' | 'InvalidClientTokenId', message: string): void {
  const requestId = randomUUID();
  const json = (status: number, contentType: string, body: Record<string, string>, extra: Record<string, string> = {}): void => {
    const payload = JSON.stringify(body);
    outgoing
      .writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': requestId, 'x-amzn-errortype': body.__type?.split('#').at(-1) ?? extra.type ?? '', ...extra })
      .end(payload);
  };
  const xml = (status: number, payload: string): void => {
    outgoing.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(payload), 'x-amz-request-id': requestId });
    outgoing.end(request.method === 'HEAD' ? undefined : payload);
  };
  const escaped = escapeXml(message);
  const jsonCode = code === 'AccessDenied' ? 'AccessDeniedException' : code === 'UnrecognizedClient' ? 'UnrecognizedClientException' : 'InvalidClientTokenId';
  switch (request.service) {
    case 'dynamodb':
      json(400, 'application/x-amz-json-1.0', { __type: `com.amazon.coral.service#${jsonCode}`, Message: message });
      return;
    case 'sqs':
      if (headerOf({ headers: request.headers } as IncomingMessage, 'x-amz-target') !== undefined) {
        const queryCode = code === 'AccessDenied' ? 'AccessDenied' : 'InvalidClientTokenId';
        json(400, 'application/x-amz-json-1.0', { __type: `com.amazon.coral.service#${jsonCode}`, message }, { 'x-amzn-query-error': `${queryCode};Sender` });
      } else {
        xml(403, `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>${code === 'AccessDenied' ? 'AccessDenied' : 'InvalidClientTokenId'}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
      }
      return;
    case 'sns':
      xml(403, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code === 'AccessDenied' ? 'AuthorizationError' : 'InvalidClientTokenId'}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
      return;
    case 's3':
      xml(403, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code === 'AccessDenied' ? 'AccessDenied' : 'InvalidAccessKeyId'}</Code><Message>${escaped}</Message><RequestId>${requestId}</RequestId><HostId>local</HostId></Error>`);
      return;
    case 'ses':
      json(403, 'application/json', { message }, { 'x-amzn-errortype': jsonCode });
      return;
    case 'lambda':
      // Lambda's REST-JSON refusal: 403, the type in x-amzn-ErrorType, `Type` and `Message` in the body.
      json(403, 'application/json', { Type: 'User', Message: message }, { 'x-amzn-errortype': jsonCode });
      return;
    default:
      // SSM, KMS (JSON 1.1), and anything the gate does not front.
      json(400, 'application/x-amz-json-1.1', { __type: jsonCode, message });
  }
}

/** 503 in the service's own error shape: the emulator behind the gate is not running. */
function unavailable(outgoing: ServerResponse, request: GateRequest, message: string): void {
  const requestId = randomUUID();
  const send = (contentType: string, payload: string, extra: Record<string, string> = {}): void => {
    outgoing.writeHead(503, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': requestId, ...extra }).end(payload);
  };
  const xml = `<?xml version="1.0"?><ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  const jsonProtocol = headerOf({ headers: request.headers } as IncomingMessage, 'x-amz-target') !== undefined;
  if (request.service === 'ses' || request.service === 'lambda') send('application/json', JSON.stringify({ message }), { 'x-amzn-errortype': 'ServiceUnavailableException' });
  else if (jsonProtocol) send('application/x-amz-json-1.0', JSON.stringify({ __type: 'com.amazon.coral.service#ServiceUnavailableException', message }), { 'x-amzn-errortype': 'ServiceUnavailableException' });
  else if (request.service === 's3') send('application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ServiceUnavailable</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`);
  else send('text/xml', xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
