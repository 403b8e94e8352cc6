// Pass-through HTTP proxies in front of the emulators that count the operations the local
// stack's functions send (bench:campaign --count-calls): the calls one apology costs.
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Proxies for some emulators, each counting what it forwards. */
export interface OperationCounter {
  /** The same endpoints, through the proxies. */
  readonly endpoints: Record<string, string>;
  /** Counts by `<service> <operation>` since the last reset. */
  counts(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * An AWS JSON request names its operation in `X-Amz-Target` (DynamoDB, SQS, KMS, SSM); a REST
 * one (SES v2) by method and path, without ids.
 */
function operationOf(method: string | undefined, url: string | undefined, target: string | string[] | undefined): string {
  const named = /\.(\w+)$/.exec(String(target ?? ''))?.[1];
  if (named) return named;
  const path = (url ?? '').split('?')[0] ?? '';
  return `${method ?? '?'} ${path.replace(/\/[^/]*\d[^/]*$/, '/:id')}`;
}

/** Starts a counting proxy for each of `endpoints` (name → base URL). */
export async function startOperationCounter(endpoints: Record<string, string>): Promise<OperationCounter> {
  let counts: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const servers: Server[] = [];
  const proxied: Record<string, string> = {};
  for (const [service, base] of Object.entries(endpoints)) {
    const upstream = new URL(base);
    const server = createServer((incoming, outgoing) => {
      const key = `${service} ${operationOf(incoming.method, incoming.url, incoming.headers['x-amz-target'])}`;
      counts[key] = (counts[key] ?? 0) + 1;
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    proxied[service] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    endpoints: proxied,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      agent.destroy();
    },
  };
}
