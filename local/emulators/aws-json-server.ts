import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_AWS_REGION } from './local-aws';

/** An error an emulated AWS API answers with: `{ "__type": code, "message": ... }`, HTTP 400. */
export class EmulatedApiError extends Error {
  override name = 'EmulatedApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One operation: the request's JSON object in, the response's JSON out (or an {@link EmulatedApiError}). */
export type JsonOperation = (input: Record<string, unknown>, request: { readonly region: string }) => unknown;

/** What {@link startAwsJsonServer} serves. */
export interface AwsJsonServerOptions {
  /** For messages, e.g. `SSM`. */
  readonly service: string;
  /** The `X-Amz-Target` prefix, e.g. `AmazonSSM.` or `TrentService.`. */
  readonly targetPrefix: string;
  /** By operation name (the target after the prefix). */
  readonly operations: Readonly<Record<string, JsonOperation>>;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A running emulated AWS JSON 1.1 API. */
export interface AwsJsonServer {
  /** e.g. `http://127.0.0.1:4583` */
  readonly url: string;
  readonly port: number;
  /** Closes the server and its connections; idempotent. */
  stop(): Promise<void>;
}

/** An emulator served by {@link startAwsJsonServer}, with the store behind it for direct inspection in tests or seeding. */
export interface AwsJsonEmulator<Store> extends AwsJsonServer {
  readonly store: Store;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * An HTTP server speaking the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target: <prefix><Operation>`,
 * JSON bodies, errors as `__type`), enough for the SDK v3 clients of the services our small
 * emulators stand in for (SSM, KMS), plus `GET /health`. The region of a request is read from
 * its SigV4 credential scope, so ARNs name the caller's region.
 *
 * @example
 * const server = await startAwsJsonServer({ service: 'SSM', targetPrefix: 'AmazonSSM.', operations: { GetParameter: ... } });
 */
export async function startAwsJsonServer(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      reply(response, 500, { __type: 'InternalServerError', message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return { url: `http://${host}:${port}`, port, stop: () => (stopping ??= close(server)) };
}

async function handle(options: AwsJsonServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') {
    reply(response, 200, { status: 'ok' });
    return;
  }
  const target = request.headers['x-amz-target'];
  const operation =
    request.method === 'POST' && typeof target === 'string' && target.startsWith(options.targetPrefix)
      ? options.operations[target.slice(options.targetPrefix.length)]
      : undefined;
  if (!operation) {
    const what = typeof target === 'string' ? target : `${request.method} ${request.url}`;
    reply(response, 400, { __type: 'UnknownOperationException', message: `The ${options.service} emulator does not support ${what}.` });
    return;
  }
  let input: Record<string, unknown>;
  try {
    input = parseObject(await readBody(request));
  } catch (error) {
    reply(response, 400, { __type: 'SerializationException', message: (error as Error).message });
    return;
  }
  try {
    reply(response, 200, operation(input, { region: regionOf(request) }));
  } catch (error) {
    if (!(error instanceof EmulatedApiError)) throw error;
    reply(response, 400, { __type: error.code, message: error.message });
  }
}

/** Region from the SigV4 credential scope (`Credential=AKID/20240101/eu-west-1/ssm/aws4_request`). */
function regionOf(request: IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '');
  return match?.[1] ?? LOCAL_AWS_REGION;
}

function parseObject(body: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (status >= 400 && typeof body === 'object' && body !== null && '__type' in body) {
    headers['x-amzn-errortype'] = String(body.__type);
  }
  response.writeHead(status, headers).end(payload);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // the SDK keeps connections alive; don't wait for them
  });
}
