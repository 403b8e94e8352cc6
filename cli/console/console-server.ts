import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OperatorArgs, OperatorCommandName } from '../../lambdas/operator/commands';
import { CliError } from '../errors';
import { OperatorRefusedError, type OperatorEndpoint } from '../operator/operator-endpoint';
import type { ConsoleAssets } from './console-assets';
import { CONSOLE_COMMANDS, type ConsoleSession } from './console-api';

/** The only interface the console listens on: a server holding credentials is never reachable from another machine. */
export const CONSOLE_HOST = '127.0.0.1';

/** The cookie that carries the start's token after the first visit. */
export const SESSION_COOKIE = 'rn_console';

/** Largest request body the console reads (a form's fields; imports are the CLI's). */
const MAX_BODY_BYTES = 64 * 1024;

/** The pages' policy: scripts, styles and frames from the console only; nothing inline, nothing elsewhere. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The apology preview's policy: the email's own inline styles (as a mail client shows them),
 * no script, no fetch, no form; only the console may frame it, and the frame is sandboxed.
 */
const PREVIEW_CSP = ["default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'self'", 'sandbox'].join('; ');

/** What the console serves from, and as whom. */
export interface ConsoleServerOptions {
  /** The operator endpoint the console forwards to, signed with the operator's own credentials (the CLI's client). */
  readonly endpoint: OperatorEndpoint;
  /** Who the endpoint will see: shown on the approval page. */
  readonly identity: string;
  readonly assets: ConsoleAssets;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** The per-start token. @default 32 random bytes, base64url */
  readonly token?: string;
}

/** A running console. */
export interface RunningConsole {
  /** `http://127.0.0.1:<port>`, what the pages' Origin must be. */
  readonly origin: string;
  /** The address to open once: it carries the token, which becomes a cookie. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the operator console's web server on 127.0.0.1: it serves the console's pages and
 * forwards their requests to the operator endpoint through the CLI's own client (signed with the
 * operator's credentials, which never reach the browser). Every request must carry the start's
 * token (in the URL once, then an `HttpOnly`, `SameSite=Strict` cookie), a `Host` of this server
 * (no DNS rebinding), and no foreign `Origin`; the API takes only JSON POSTs from its own origin.
 *
 * @example
 * const consoleServer = await startConsoleServer({ endpoint, identity, assets: await buildConsoleAssets() });
 * console.log(consoleServer.url); // http://127.0.0.1:41234/?token=…
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<RunningConsole> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const allowedHosts = (): readonly string[] => [`${CONSOLE_HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): readonly string[] => allowedHosts().map((h) => `http://${h}`);
  const session: ConsoleSession = { target: options.endpoint.description, identity: options.identity };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug of ours: the operator sees that something failed, never a stack or a credential.
      console.error('console: request failed', error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'The console failed on this request; see its terminal.');
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = refusalOf(request, token, allowedHosts(), allowedOrigins());
    const url = new URL(request.url ?? '/', `http://${CONSOLE_HOST}:${port}`);
    if (refusal === 'HOST' || refusal === 'ORIGIN') {
      send(response, 403, 'text/plain; charset=utf-8', refusal === 'HOST' ? 'Refused: this console answers only to its own address (Host).' : 'Refused: a request from another site (Origin).');
      return;
    }
    // The printed address: its token becomes the cookie, and the address bar loses it.
    if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
        send(response, 403, 'text/plain; charset=utf-8', 'Refused: wrong token. Open the address the console printed when it started.');
        return;
      }
      response.writeHead(303, {
        ...baseHeaders(),
        Location: '/',
        'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end();
      return;
    }
    if (refusal === 'TOKEN') {
      send(response, 403, 'text/plain; charset=utf-8', 'Refused: no valid session. Open the address the console printed when it started.');
      return;
    }
    if (request.method === 'GET') {
      const asset = options.assets.files.get(url.pathname === '/' ? '/index.html' : url.pathname);
      if (asset) {
        send(response, 200, asset.type, asset.body);
        return;
      }
      if (url.pathname === '/api/session') {
        send(response, 200, 'application/json', JSON.stringify(session));
        return;
      }
      if (url.pathname === '/preview') {
        await servePreview(url, response);
        return;
      }
      send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
      return;
    }
    if (request.method === 'POST' && url.pathname === '/api/operator') {
      await forward(request, response);
      return;
    }
    send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
  }

  /** One operator command, as the CLI sends it; the endpoint's answer (or refusal, in its words) back as JSON. */
  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(response, 415, { error: { code: 'CONSOLE', message: 'The console takes JSON only.' } });
      return;
    }
    let body: { command?: unknown; args?: unknown };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
    } catch {
      sendJson(response, 400, { error: { code: 'CONSOLE', message: 'The request is not JSON.' } });
      return;
    }
    const command = body.command;
    if (typeof command !== 'string' || !(CONSOLE_COMMANDS as readonly string[]).includes(command)) {
      sendJson(response, 400, { error: { code: 'CONSOLE', message: `The console does not send "${String(command)}".` } });
      return;
    }
    const args = typeof body.args === 'object' && body.args !== null ? body.args : {};
    try {
      const result = await options.endpoint.call(command as OperatorCommandName, args as OperatorArgs<OperatorCommandName>);
      sendJson(response, 200, { result });
    } catch (error) {
      if (error instanceof OperatorRefusedError) sendJson(response, error.status, { error: { code: error.code, message: error.message } });
      else if (error instanceof CliError) sendJson(response, 502, { error: { code: 'UNREACHABLE', message: error.message } });
      else throw error;
    }
  }

  /** The apology as the sender renders it, as a document of its own for the sandboxed frame. */
  async function servePreview(url: URL, response: ServerResponse): Promise<void> {
    const locale = url.searchParams.get('locale') ?? '';
    const sentAt = url.searchParams.get('sentAt');
    try {
      const preview = await options.endpoint.call('apology preview', {
        locale: locale as 'en',
        customer: url.searchParams.get('customer') !== 'false',
        ...(sentAt ? { noticeSentAt: sentAt } : {}),
      });
      response.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PREVIEW_CSP, 'X-Frame-Options': 'SAMEORIGIN' });
      response.end(preview.html);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      send(response, error instanceof OperatorRefusedError ? error.status : 502, 'text/plain; charset=utf-8', error.message);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, CONSOLE_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${CONSOLE_HOST}:${port}`;
  return {
    origin,
    port,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Why a request is refused before anything else, if it is. */
function refusalOf(request: IncomingMessage, token: string, hosts: readonly string[], origins: readonly string[]): 'HOST' | 'ORIGIN' | 'TOKEN' | undefined {
  // DNS rebinding: a page of evil.example resolved to 127.0.0.1 still says Host: evil.example.
  if (!hosts.includes(request.headers.host ?? '')) return 'HOST';
  const origin = request.headers.origin;
  if (origin !== undefined && !origins.includes(origin)) return 'ORIGIN';
  // Browsers send Origin on every POST; a POST without one is no page of ours.
  if (request.method !== 'GET' && request.method !== 'HEAD' && origin === undefined) return 'ORIGIN';
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'ORIGIN';
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (cookie === undefined || !sameSecret(cookie, token)) return 'TOKEN';
  return undefined;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function baseHeaders(): Record<string, string> {
  return { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cross-Origin-Opener-Policy': 'same-origin' };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { ...baseHeaders(), 'Content-Type': type, 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json', JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
