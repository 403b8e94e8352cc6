import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvocationError } from '../../errors';
import type { InvocationResult } from './execution-environment';
import { functionNameParts, invokeTarget } from './function-name';
import { listenLocal, MAX_REQUEST_BYTES, readBody } from './local-http';

/** Lambda's limit on a synchronous invocation's response payload (its error message says 6291556). */
const MAX_RESPONSE_BYTES = 6_291_556;

/** A function the server may invoke. */
export interface InvokableFunction {
  readonly logicalId: string;
  /** Its physical name, as `Ref` gives it. */
  readonly name: string;
  readonly arn: string;
}

/** Options of a {@link LambdaInvokeServer}. */
export interface LambdaInvokeServerOptions {
  /** The stack's functions. */
  readonly functions: readonly InvokableFunction[];
  readonly region: string;
  readonly accountId: string;
  /** Invokes a function synchronously in its execution environments, with the request id its caller is told. */
  readonly invoke: (functionLogicalId: string, event: unknown, awsRequestId: string) => Promise<InvocationResult>;
  /** One line per request refused or failed. */
  readonly log?: (line: string) => void;
}

/**
 * Lambda's `Invoke` API on a local port, what a function's `AWS_ENDPOINT_URL_LAMBDA` names:
 * `POST /2015-03-31/functions/{FunctionName}/invocations`, the function by name, full or partial
 * ARN, run in its execution environments like any invocation. `RequestResponse` answers 200 with
 * the handler's result, or 200 with `X-Amz-Function-Error: Unhandled` and Lambda's error payload
 * (`errorType`, `errorMessage`, `trace`) when it throws, times out or crashes; `DryRun` 204. What
 * Lambda refuses is refused in its shape (`x-amzn-ErrorType`): an unknown function or qualifier
 * (`ResourceNotFoundException`, 404), a body that is no JSON (`InvalidRequestContentException`, 400),
 * over 6 MB (`RequestTooLargeException`, 413). Not served, loudly: `Event` invocations and any
 * qualifier but `$LATEST`. No signature is checked here: with `enforcePolicies` the local IAM
 * gate stands in front, and `lambda:InvokeFunction` is decided there.
 *
 * @example
 * const server = new LambdaInvokeServer({ functions, region, accountId, invoke: (id, event, requestId) => poolOf(id).invoke(event, requestId) });
 * await server.start(); // server.url → AWS_ENDPOINT_URL_LAMBDA
 */
export class LambdaInvokeServer {
  #server: Server | undefined;

  constructor(private readonly options: LambdaInvokeServerOptions) {}

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('The local Lambda endpoint is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await listenLocal(server);
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections(); // the SDK keeps connections alive
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { log } = this.options;
    const requestId = randomUUID();
    try {
      const body = await readBody(req);
      const target = invokeTarget(req.url ?? '/');
      if (req.method !== 'POST' || target === undefined) {
        return refuse(res, requestId, 404, 'UnknownOperationException', `the local Lambda endpoint serves Invoke only (POST /2015-03-31/functions/{FunctionName}/invocations), not ${req.method} ${req.url}`);
      }
      if (body === undefined) return refuse(res, requestId, 413, 'RequestTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
      const fn = this.#find(target.functionName);
      const qualifier = target.qualifier ?? functionNameParts(target.functionName)?.qualifier;
      if (fn === undefined) return refuse(res, requestId, 404, 'ResourceNotFoundException', `Function not found: ${this.#arnOf(target.functionName)}`);
      if (qualifier !== undefined && qualifier !== '$LATEST') {
        return refuse(res, requestId, 404, 'ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier} (the local stack runs $LATEST only: no versions or aliases)`);
      }
      const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
      if (invocationType === 'DryRun') {
        res.writeHead(204, { 'x-amzn-requestid': requestId }).end();
        return;
      }
      if (invocationType !== 'RequestResponse') {
        return refuse(res, requestId, 400, 'InvalidParameterValueException', `InvocationType ${invocationType} is not served by the local stack (RequestResponse and DryRun are)`);
      }
      let event: unknown;
      try {
        // As Lambda: no payload is an empty object.
        event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (error) {
        return refuse(res, requestId, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
      }
      await this.#invoke(res, fn, event);
    } catch (error) {
      log?.(`lambda Invoke: 500 ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, requestId, 500, 'ServiceException', `local Lambda endpoint: ${(error as Error).message}`);
      else res.destroy();
    }
  }

  async #invoke(res: ServerResponse, fn: InvokableFunction, event: unknown): Promise<void> {
    const awsRequestId = randomUUID();
    let payload: string;
    let functionError = false;
    try {
      const result = await this.options.invoke(fn.logicalId, event, awsRequestId);
      payload = JSON.stringify(result.payload ?? null);
    } catch (error) {
      if (!(error instanceof InvocationError)) throw error;
      this.options.log?.(`lambda Invoke ${fn.logicalId}: ${error.message}`);
      const { errorType, errorMessage, trace } = error.payload;
      // The runtime's own errors (a timeout, a crash) name the request, as Lambda's do.
      const message = error.kind === 'Timeout' || error.kind === 'RuntimeCrash' ? `RequestId: ${awsRequestId} ${errorMessage}` : errorMessage;
      payload = JSON.stringify({ errorType, errorMessage: message, ...(trace ? { trace } : {}) });
      functionError = true;
    }
    if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
      payload = JSON.stringify({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` });
      functionError = true;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': awsRequestId,
      'x-amz-executed-version': '$LATEST',
      ...(functionError ? { 'x-amz-function-error': 'Unhandled' } : {}),
    });
    res.end(payload);
  }

  /** The stack's function a `FunctionName` names (its region and account, when given, this stack's). */
  #find(functionName: string): InvokableFunction | undefined {
    const parts = functionNameParts(functionName);
    if (parts === undefined) return undefined;
    if (parts.region !== undefined && parts.region !== this.options.region) return undefined;
    if (parts.accountId !== undefined && parts.accountId !== this.options.accountId) return undefined;
    return this.options.functions.find((f) => f.name === parts.name);
  }

  #arnOf(functionName: string): string {
    if (functionName.startsWith('arn:')) return functionName;
    const parts = functionNameParts(functionName);
    return `arn:aws:lambda:${parts?.region ?? this.options.region}:${parts?.accountId ?? this.options.accountId}:function:${parts?.name ?? functionName}`;
  }
}

/** Lambda's error answer (REST-JSON): the type in `x-amzn-ErrorType`, `Type` and `message` in the body. */
function refuse(res: ServerResponse, requestId: string, status: number, type: string, message: string): void {
  const body = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId, 'x-amzn-errortype': type });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

