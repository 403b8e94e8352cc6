import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions, InitializeMiddleware, Pluggable } from '@smithy/types';

/** What one HTTP attempt got as far as, seen from this side of the socket. */
interface Attempt {
  /** Node announced the request object (the diagnostics channel works here). */
  seen: boolean;
  /** A connection (TCP, and TLS for https) was up to carry the request: from here on it may have left. */
  connected: boolean;
}

// The SDK's handler does not say how far a failed request got, so we watch Node's own
// http client: its diagnostics channel announces every ClientRequest synchronously inside
// the call that creates it, i.e. inside our `handle`, whose attempt the async context carries.
const currentAttempt = new AsyncLocalStorage<Attempt>();
const attemptOfError = new WeakMap<object, Attempt>();
// Errors of an attempt that failed before it reached the HTTP handler: credentials, signing.
const neverLeft = new WeakSet<object>();
let watching = false;

function watchClientRequests(): void {
  if (watching) return;
  watching = true;
  subscribe('http.client.request.created', (message) => {
    const attempt = currentAttempt.getStore();
    if (!attempt) return;
    attempt.seen = true;
    const { request } = message as { request: ClientRequest };
    request.once('socket', (socket: Socket) => {
      // A socket from the keep-alive pool is connected already; a new one connects (and,
      // for https, shakes hands) first, and no request byte can leave before that.
      if (!socket.connecting) {
        attempt.connected = true;
        return;
      }
      socket.once('encrypted' in socket ? 'secureConnect' : 'connect', () => {
        attempt.connected = true;
      });
    });
  });
}

/**
 * The AWS SDK's Node HTTP handler (`NodeHttpHandler`), noting for each failed attempt whether
 * its request may have reached the server. {@link mayHaveBeenReceived} then answers for the
 * error the attempt failed with: `false` when no connection was ever up to carry it
 * (connection refused, DNS failure, connect timeout, TLS handshake failure), `true` once one
 * was (a reset or timeout then leaves the outcome unknown).
 *
 * @example
 * new SESv2Client({ requestHandler: new RequestWrittenTrackingHandler({ connectionTimeout: 2000 }), retryStrategy: new NoResendRetryStrategy(3) });
 */
export class RequestWrittenTrackingHandler implements HttpHandler<NodeHttpHandlerOptions> {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #inner: NodeHttpHandler;

  constructor(options?: NodeHttpHandlerOptions) {
    watchClientRequests();
    this.#inner = new NodeHttpHandler(options);
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const attempt: Attempt = { seen: false, connected: false };
    try {
      return await currentAttempt.run(attempt, () => this.#inner.handle(request, options));
    } catch (error) {
      if (typeof error === 'object' && error !== null) attemptOfError.set(error, attempt);
      throw error;
    }
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
    this.#inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.#inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.#inner.destroy();
  }
}

// Outermost: sees the call's final error. Credentials are resolved and requests signed before
// the HTTP handler, some of it before the retry loop (the SDK's auth scheme middleware).
const markNeverLeft = <I extends object, O extends object>(): InitializeMiddleware<I, O> => (next) => async (args) => {
  try {
    return await next(args);
  } catch (error) {
    // Neither an answer nor an error of the HTTP handler: the request never got to the wire.
    if (typeof error === 'object' && error !== null && !hasHttpResponse(error) && !attemptOfError.has(error)) neverLeft.add(error);
    throw error;
  }
};

/**
 * Marks the errors of calls whose last attempt never reached the HTTP handler (the credentials
 * could not be had, signing failed): nothing was sent, so {@link mayHaveBeenReceived} says
 * `false`. An earlier attempt was retried, so it certainly was not received either.
 *
 * @example
 * client.middlewareStack.use(neverLeftPlugin());
 */
export function neverLeftPlugin<I extends object, O extends object>(): Pluggable<I, O> {
  return {
    applyToStack(stack) {
      stack.add(markNeverLeft<I, O>(), { step: 'initialize', priority: 'high', name: 'registryNoticesNeverLeft' });
    },
  };
}

/**
 * Whether the attempt that failed with `error` may have reached the server. `false` only
 * when it certainly did not: the error came out of a {@link RequestWrittenTrackingHandler}
 * before any connection was up, or never got to the handler (see {@link neverLeftPlugin}).
 * Anything else (an answer, an error from elsewhere, a Node without the diagnostics
 * channel) is `true`: when in doubt, assume it went.
 *
 * @example
 * mayHaveBeenReceived(econnrefused) // false
 * mayHaveBeenReceived(resetAfterConnect) // true
 */
export function mayHaveBeenReceived(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  if (neverLeft.has(error)) return false;
  const attempt = attemptOfError.get(error);
  return !attempt?.seen || attempt.connected;
}

/** Whether the attempt that failed with `error` never got to the HTTP handler (credentials, signing): see {@link neverLeftPlugin}. */
export function neverLeftProcess(error: unknown): boolean {
  return typeof error === 'object' && error !== null && neverLeft.has(error);
}

/** Whether the error came back with an HTTP response (the server answered, whatever it said). */
export function hasHttpResponse(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number';
}
