import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** SES's refusal of one request: its HTTP status and error type (`x-amzn-ErrorType`). */
export interface SesRefusal {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** A `SendEmail` request as it reached the proxy, its JSON body parsed. */
export interface ProxiedSend {
  readonly Destination?: { readonly ToAddresses?: readonly string[] };
  readonly [member: string]: unknown;
}

/** What {@link sesProxy} answers a `SendEmail` with: a refusal, or `undefined` to pass it on. */
export type SesRefuser = (send: ProxiedSend) => SesRefusal | undefined;

/** SES's answer to a send over its maximum rate. */
export const THROTTLED: SesRefusal = { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' };

/**
 * An HTTP proxy in front of the SES emulator that answers chosen `SendEmail` requests as real
 * SES does when it refuses one (status, `x-amzn-ErrorType`, JSON `message`), and forwards
 * everything else: the emulator never throttles. `refuse` may be changed between requests.
 *
 * @example
 * const proxy = await sesProxy(inject('emulatorEndpoints').ses);
 * proxy.refuse = (send) => (send.Destination?.ToAddresses?.includes(dora) ? THROTTLED : undefined);
 */
export async function sesProxy(target: string): Promise<{ url: string; refuse: SesRefuser; refused: () => number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let refused = 0;
  const proxy = {
    url: '',
    refuse: (() => undefined) as SesRefuser,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = incoming.url === '/v2/email/outbound-emails' ? proxy.refuse(JSON.parse(body.toString('utf8') || '{}') as ProxiedSend) : undefined;
      if (refusal) {
        refused += 1;
        outgoing.writeHead(refusal.status, { 'content-type': 'application/json', 'x-amzn-errortype': refusal.type }).end(JSON.stringify({ message: refusal.message }));
        return;
      }
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
