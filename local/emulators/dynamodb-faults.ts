import { createHash } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy did to one request, besides forwarding it:
 * - `PROVISIONED_THROUGHPUT_EXCEEDED`, `THROTTLING`: 400 with DynamoDB's throttling error (nothing applied);
 * - `INTERNAL_SERVER_ERROR`: 500 (nothing applied);
 * - `STALLED_UNSENT`: held without an answer and never forwarded, until the client gives up;
 * - `STALLED_APPLIED`: forwarded (DynamoDB applied it) and its answer held back until the client
 *   gives up: the case where a retry of a conditional write finds the write's own result;
 * - `RESET_APPLIED`: forwarded (applied) and the client's connection destroyed instead of the
 *   answer (a reset after the server acted): only when `choose` picks it, never drawn.
 */
export const DynamoDbFault = {
  PROVISIONED_THROUGHPUT_EXCEEDED: 'PROVISIONED_THROUGHPUT_EXCEEDED',
  THROTTLING: 'THROTTLING',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  STALLED_UNSENT: 'STALLED_UNSENT',
  STALLED_APPLIED: 'STALLED_APPLIED',
  RESET_APPLIED: 'RESET_APPLIED',
} as const;
export type DynamoDbFault = (typeof DynamoDbFault)[keyof typeof DynamoDbFault];

/** Shares (0 to 1) of requests that get each kind of fault; the rest are forwarded untouched. */
export interface DynamoDbFaultRates {
  /** Answered with a throttling error, `ProvisionedThroughputExceededException` or `ThrottlingException` in turn. @default 0 */
  readonly throttle?: number;
  /** Answered 500 `InternalServerError`. @default 0 */
  readonly serverError?: number;
  /** Stalled past the client's timeout, half before forwarding and half after. @default 0 */
  readonly stall?: number;
}

export interface DynamoDbFaultOptions extends DynamoDbFaultRates {
  /** Seeds the choice of fault: the same requests in the same order get the same faults. @default 'faults' */
  readonly seed?: string;
  /** Whether faults are on from the start (turn them on after provisioning with `enabled`). @default true */
  readonly enabled?: boolean;
  /** How long a stalled request is held at most if the client never gives up. @default 120_000 */
  readonly maxStallMs?: number;
}

/** What a fault proxy counted since it started (or was last reset). */
export interface DynamoDbFaultCounts {
  readonly requests: number;
  /** By fault kind; every kind present, 0 if none. */
  readonly faults: Readonly<Record<DynamoDbFault, number>>;
  /** Throttling answers of both kinds. */
  readonly throttles: number;
  /** `<operation> <fault>` → count, e.g. `TransactWriteItems STALLED_APPLIED`. */
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface DynamoDbFaultProxy {
  /** Point the DynamoDB clients under test here (`endpoint`, or `AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly url: string;
  /** Faults on or off; off, every request is forwarded (provisioning, a run without faults). */
  enabled: boolean;
  /**
   * A fault chosen for a request before the seeded draw (e.g. "stall the first claim after applying
   * it"), `null` for none; `undefined` leaves the request to the draw. Asked only while `enabled`.
   */
  choose: (operation: string, body: string) => DynamoDbFault | null | undefined;
  counts(): DynamoDbFaultCounts;
  reset(): void;
  close(): Promise<void>;
}

/** DynamoDB's JSON 1.0 error answers (status, `__type`, message) as DynamoDB sends them. */
const ANSWERS: Partial<Record<DynamoDbFault, { readonly status: number; readonly type: string; readonly message: string }>> = {
  PROVISIONED_THROUGHPUT_EXCEEDED: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  THROTTLING: { status: 400, type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  INTERNAL_SERVER_ERROR: { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
};

/**
 * An HTTP proxy in front of DynamoDB Local (which never throttles, fails or stalls) that gives a
 * share of requests the faults DynamoDB gives: throttling errors, 500s, and answers that never
 * come. Which request gets which is a pure function of the seed, the request (operation and
 * body) and how many times that same request came before, so a retry is drawn afresh and a run
 * that sends the same requests gets the same faults; concurrency changes the order, not the
 * draw of a request. It counts what it did.
 *
 * It speaks no DynamoDB beyond the drawn error answers: in front of fauxqs (SQS's JSON protocol,
 * the same `X-Amz-Target`) the faults `choose` picks apply as well.
 *
 * Hand-written: the fault injectors we know of (toxiproxy, AWS FIS) work on TCP or on AWS
 * itself; none speaks DynamoDB's error shapes in front of a local process.
 *
 * @example
 * const faults = await startDynamoDbFaults(endpoints.dynamodb, { throttle: 0.1, serverError: 0.02, stall: 0.01, enabled: false });
 * // provision, then
 * faults.enabled = true;
 */
export async function startDynamoDbFaults(target: string, options: DynamoDbFaultOptions = {}): Promise<DynamoDbFaultProxy> {
  const upstream = new URL(target);
  const seed = options.seed ?? 'faults';
  const throttle = options.throttle ?? 0;
  const serverError = options.serverError ?? 0;
  const stall = options.stall ?? 0;
  const maxStallMs = options.maxStallMs ?? 120_000;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const seen = new Map<string, number>();
  let requests = 0;
  let faults = emptyFaults();
  let byOperation: Record<string, number> = {};
  const held = new Set<ServerResponse>();

  const draw = (operation: string, body: Buffer): DynamoDbFault | undefined => {
    const requestKey = createHash('sha256').update(operation).update('\u0000').update(body).digest('base64');
    const occurrence = seen.get(requestKey) ?? 0;
    seen.set(requestKey, occurrence + 1);
    const digest = createHash('sha256').update(`${seed}\u0000${requestKey}\u0000${occurrence}`).digest();
    const u = digest.readUInt32BE(0) / 2 ** 32;
    const either = (digest[4]! & 1) === 0;
    if (u < throttle) return either ? DynamoDbFault.PROVISIONED_THROUGHPUT_EXCEEDED : DynamoDbFault.THROTTLING;
    if (u < throttle + serverError) return DynamoDbFault.INTERNAL_SERVER_ERROR;
    if (u < throttle + serverError + stall) return either ? DynamoDbFault.STALLED_UNSENT : DynamoDbFault.STALLED_APPLIED;
    return undefined;
  };

  // Held until the client gives up (it closes the socket) or maxStallMs, then dropped unanswered.
  const hold = (outgoing: ServerResponse): void => {
    held.add(outgoing);
    const timer = setTimeout(() => outgoing.destroy(), maxStallMs);
    outgoing.once('close', () => {
      clearTimeout(timer);
      held.delete(outgoing);
    });
  };

  const forward = (incoming: IncomingMessage, body: Buffer, onAnswer: (status: number, headers: IncomingMessage['headers'], answer: Buffer) => void, onError: () => void): void => {
    const request = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => onAnswer(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
      answer.on('error', onError);
    });
    request.on('error', onError);
    request.end(body);
  };

  const proxy: DynamoDbFaultProxy = {
    url: '',
    enabled: options.enabled ?? true,
    choose: () => undefined,
    counts: () => ({
      requests,
      faults: { ...faults },
      throttles: faults.PROVISIONED_THROUGHPUT_EXCEEDED + faults.THROTTLING,
      byOperation: { ...byOperation },
    }),
    reset: () => {
      requests = 0;
      faults = emptyFaults();
      byOperation = {};
    },
    close: async () => {
      for (const outgoing of held) outgoing.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = /\.(\w+)$/.exec(String(incoming.headers['x-amz-target'] ?? ''))?.[1] ?? 'unknown';
      const chosen = proxy.enabled ? proxy.choose(operation, body.toString('utf8')) : null;
      const fault = chosen === undefined ? draw(operation, body) : (chosen ?? undefined);
      if (proxy.enabled) requests += 1;
      if (fault) {
        faults[fault] += 1;
        byOperation[`${operation} ${fault}`] = (byOperation[`${operation} ${fault}`] ?? 0) + 1;
      }
      const answer = fault ? ANSWERS[fault] : undefined;
      if (answer) {
        outgoing
          .writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': createHash('sha256').update(body).digest('hex').slice(0, 32) })
          .end(JSON.stringify({ __type: answer.type, message: answer.message }));
        return;
      }
      if (fault === DynamoDbFault.STALLED_UNSENT) return hold(outgoing);
      forward(
        incoming,
        body,
        (status, headers, answered) => {
          if (fault === DynamoDbFault.STALLED_APPLIED) return hold(outgoing);
          if (fault === DynamoDbFault.RESET_APPLIED) return void outgoing.destroy();
          outgoing.writeHead(status, headers).end(answered);
        },
        () => outgoing.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function emptyFaults(): Record<DynamoDbFault, number> {
  return Object.fromEntries(Object.values(DynamoDbFault).map((f) => [f, 0])) as Record<DynamoDbFault, number>;
}
