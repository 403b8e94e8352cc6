import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID } from '../../emulators/local-aws';
import { isAddressInUse } from '../../emulators/ports';
import { LocalStackError } from '../../errors';
import type { LocalFunctionUrl } from './function-url-definition';
import { functionUrlEvent, functionUrlResponse } from './function-url-event';
import { listenLocal, readBody } from './local-http';
import { verifySigV4, type ReceivedRequest, type SigV4Options } from './sigv4-verifier';

/** Options of a {@link FunctionUrlServer}. */
export interface FunctionUrlServerOptions {
  readonly url: LocalFunctionUrl;
  /** Invokes the URL's function synchronously and returns its result. */
  readonly invoke: (event: unknown) => Promise<{ readonly payload: unknown }>;
  /** Region the signatures must be scoped to. */
  readonly region: string;
  /** Local credentials: the secret of each access key. @default the key id itself */
  readonly secretOf?: SigV4Options['secretOf'];
  /** One line per request refused or failed. */
  readonly log?: (line: string) => void;
}

/**
 * Serves one `AWS::Lambda::Url` on its local port as Lambda does: `AWS_IAM` URLs answer
 * 403 to unsigned or badly signed requests and pass the signer's identity to the function;
 * `NONE` URLs serve anyone. Bodies over 6 MB get 413, a function error or timeout 502.
 *
 * @example
 * const server = new FunctionUrlServer({ url, invoke: (event) => pool.invoke(event), region: 'us-east-1' });
 * await server.start();
 */
export class FunctionUrlServer {
  #server: Server | undefined;

  constructor(private readonly options: FunctionUrlServerOptions) {}

  /** Where it listens: the URL's `FunctionUrl`, with the port actually bound. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    const { port, logicalId } = this.options.url;
    try {
      await listenLocal(server, port, true);
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      throw new LocalStackError(
        `Port ${port} for the function URL ${logicalId} is already in use. Stop whatever listens there ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows it), or pick another: npm start -- --function-url-port <port> (0 = any free port).`,
        { cause: error },
      );
    }
    this.#server = server;
  }

  /** The port actually bound (the URL's, unless it was 0). */
  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? this.options.url.port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, invoke, log } = this.options;
    try {
      const body = await readBody(req);
      if (body === undefined) return answer(res, 413, { Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
      const target = new URL(req.url ?? '/', 'http://local');
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        rawPath: target.pathname,
        query: target.searchParams,
        headers: lowerCaseHeaders(req),
        body,
      };
      let caller;
      if (url.authType === 'AWS_IAM') {
        const verdict = await verifySigV4(request, { region: this.options.region, secretOf: this.options.secretOf });
        if (!verdict.ok) {
          log?.(`${url.logicalId}: 403 ${request.method} ${request.rawPath}: ${verdict.reason}`);
          // AWS says only "Forbidden"; the reason helps locally and names nothing secret.
          return answer(res, 403, { Message: 'Forbidden', reason: verdict.reason });
        }
        caller = verdict.caller;
      }
      const event = functionUrlEvent(request, { urlId: url.urlId, accountId: LOCAL_ACCOUNT_ID, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' }, caller);
      let payload: unknown;
      try {
        ({ payload } = await invoke(event));
      } catch (error) {
        log?.(`${url.logicalId}: 502 ${request.method} ${request.rawPath}: ${(error as Error).message}`);
        return answer(res, 502, { Message: 'Internal Server Error' });
      }
      const response = functionUrlResponse(payload);
      res.statusCode = response.statusCode;
      for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
      if (response.cookies.length > 0) res.setHeader('set-cookie', [...response.cookies]);
      res.end(response.body);
    } catch (error) {
      log?.(`${url.logicalId}: 500 ${(error as Error).message}`);
      if (!res.headersSent) answer(res, 500, { Message: 'Internal Server Error' });
      else res.destroy();
    }
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}


function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ',') : value;
  }
  return headers;
}
