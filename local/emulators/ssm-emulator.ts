import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION } from './local-aws';
import { ParameterStore, SsmApiError, type StoredParameter } from './ssm-parameters';

/**
 * A minimal SSM Parameter Store emulator: AWS JSON 1.1 over HTTP, enough for
 * `@aws-sdk/client-ssm` and Powertools' `getParameter` (GetParameter, GetParameters,
 * PutParameter, DeleteParameter). Locally it holds the operator's kill switch.
 */
export interface SsmEmulator {
  /** e.g. `http://127.0.0.1:4583` */
  url: string;
  port: number;
  /** The parameters, for direct inspection in tests or seeding. */
  store: ParameterStore;
  /** Closes the server and its connections; idempotent. */
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonSSM.';
const MAX_BODY_BYTES = 1024 * 1024;

type Operation = (store: ParameterStore, input: Record<string, unknown>, region: string) => unknown;

const OPERATIONS: Record<string, Operation> = {
  GetParameter: (store, input, region) => ({
    Parameter: render(store.get(input.Name), input.WithDecryption === true, region),
  }),
  GetParameters: (store, input, region) => {
    const { found, invalid } = store.getMany(input.Names);
    return {
      Parameters: found.map((p) => render(p, input.WithDecryption === true, region)),
      InvalidParameters: invalid,
    };
  },
  PutParameter: (store, input) => ({ Version: store.put(input).version, Tier: 'Standard' }),
  DeleteParameter: (store, input) => {
    store.delete(input.Name);
    return {};
  },
};

/** Starts the SSM emulator on `host:port` (port 0 = any free port). Rejects with the listen error (e.g. EADDRINUSE). */
export async function startSsmEmulator(options: { port?: number; host?: string } = {}): Promise<SsmEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new ParameterStore();
  const server = createServer((request, response) => {
    handle(store, request, response).catch((error: unknown) => {
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
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    stop: () => (stopping ??= close(server)),
  };
}

async function handle(store: ParameterStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') {
    reply(response, 200, { status: 'ok' });
    return;
  }
  const target = request.headers['x-amz-target'];
  const operation =
    request.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? OPERATIONS[target.slice(TARGET_PREFIX.length)]
      : undefined;
  if (!operation) {
    const what = typeof target === 'string' ? target : `${request.method} ${request.url}`;
    reply(response, 400, { __type: 'UnknownOperationException', message: `The SSM emulator does not support ${what}.` });
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
    reply(response, 200, operation(store, input, regionOf(request)));
  } catch (error) {
    if (!(error instanceof SsmApiError)) throw error;
    reply(response, 400, { __type: error.code, message: error.message });
  }
}

// Real SSM returns the KMS ciphertext of a SecureString unless asked to decrypt; mimic that so a
// forgotten `decrypt: true` shows up locally, not first in AWS.
function render(parameter: StoredParameter, withDecryption: boolean, region: string): Record<string, unknown> {
  const hidden = parameter.type === 'SecureString' && !withDecryption;
  const path = parameter.name.startsWith('/') ? parameter.name : `/${parameter.name}`;
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: hidden ? Buffer.from(`local-kms-ciphertext:${parameter.value}`).toString('base64') : parameter.value,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModified.getTime() / 1000, // JSON 1.1 timestamps are epoch seconds
    ARN: `arn:aws:ssm:${region}:${LOCAL_ACCOUNT_ID}:parameter${path}`,
    DataType: parameter.dataType,
  };
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
