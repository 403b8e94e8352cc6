import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpHandlerOptions } from '@smithy/types';
import { AwsCallError, ConfigurationError } from '../errors';

/** One request to an AWS service, before signing. */
export interface AwsHttpRequest {
  /** The operation's name, for errors and for {@link AWS_CALL_CHANNEL} (`SendEmail`, `GetObject`). */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Appended to the endpoint's path, already encoded (`/v2/email/outbound-emails`). @default '' */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The service's answer, its body not read yet ({@link readText}, or stream it). */
export interface AwsHttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: IncomingMessage;
}

/** Sends one request, signed; throws {@link AwsCallError} `NetworkError` (retryable) when no answer came. */
export type SignedHttp = (request: AwsHttpRequest) => Promise<AwsHttpResponse>;

/** The HTTP handler a {@link SignedHttp} sends through (the SDK's `NodeHttpHandler`, or one wrapping it). */
export interface RequestHandler {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }>;
}

/** Where and how to sign; each defaults to what Lambda's environment gives. */
export interface SignedHttpOptions {
  /** @default process.env.AWS_REGION */
  readonly region?: string;
  /**
   * Base URL of the service.
   *
   * @default AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else `https://<endpointPrefix>.<region>.amazonaws.com` (`.com.cn` in China)
   */
  readonly endpoint?: string;
  /** @default fromEnv() - the role's keys as Lambda sets them */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Give up on an attempt after this long (connect, and then idle), so a hung connection cannot hold the batch. @default 3000 */
  readonly timeoutMs?: number;
  /** Sends the signed request. @default a `NodeHttpHandler` with `timeoutMs` */
  readonly handler?: RequestHandler;
  readonly env?: NodeJS.ProcessEnv;
}

/** The service as SigV4 and the endpoint settings name it. */
export interface AwsHttpService {
  /** Signing name (`ssm`, `ses`, `s3`). */
  readonly service: string;
  /** The host's first label, when not the signing name (`email` for SES). @default service */
  readonly endpointPrefix?: string;
  /** The `AWS_ENDPOINT_URL_<ID>` the SDK reads for it (`SESV2`). @default service in upper case */
  readonly endpointEnvId?: string;
  /** S3 signs the path as sent, other services encode it once more. @default true */
  readonly uriEscapePath?: boolean;
}

/**
 * Where each signed request is announced, for tests that count round trips: `{ phase: 'start' | 'end',
 * service, operation }`, `end` once the answer's headers came or the attempt failed. Nothing
 * is built when nobody subscribes.
 */
export const AWS_CALL_CHANNEL = 'registry-notices:aws-call';
const calls = channel(AWS_CALL_CHANNEL);

/**
 * A SigV4-signed request to an AWS service, from the SDK's own signer, credentials from the
 * environment and Node HTTP handler: the transport of our hand-written calls (`awsJsonCall` for
 * the JSON protocol services, SES v2's REST calls, S3's GetObject and PutObject).
 *
 * Hand-written because a service's SDK client registers the schemas and error classes of all
 * its operations, which esbuild cannot drop, to make the one or two calls a function makes;
 * these parts are in every bundle anyway for the DynamoDB client. It does not retry: each
 * caller knows which of its failures may be repeated (an email must never go twice).
 *
 * @example
 * const ses = signedHttp({ service: 'ses', endpointPrefix: 'email', endpointEnvId: 'SESV2' });
 * const answer = await ses({ operation: 'GetAccount', method: 'GET', path: '/v2/email/account' });
 * JSON.parse(await readText(answer)); // { SendQuota: { MaxSendRate: 14, ... }, ... }
 */
export function signedHttp(api: AwsHttpService, options: SignedHttpOptions = {}): SignedHttp {
  const env = options.env ?? process.env;
  const region = options.region ?? env.AWS_REGION;
  if (!region) throw new ConfigurationError(`AWS_REGION is not set: calls to ${api.service} need a region`);
  const envId = api.endpointEnvId ?? api.service.toUpperCase();
  const endpoint = new URL(options.endpoint ?? env[`AWS_ENDPOINT_URL_${envId}`] ?? env.AWS_ENDPOINT_URL ?? defaultEndpoint(api.endpointPrefix ?? api.service, region));
  const basePath = endpoint.pathname.replace(/\/$/, '');
  const signer = new SignatureV4({
    service: api.service,
    region,
    credentials: options.credentials ?? fromEnv(),
    sha256: Sha256,
    uriEscapePath: api.uriEscapePath ?? true,
  });
  const timeoutMs = options.timeoutMs ?? 3000;
  const handler: RequestHandler = options.handler ?? new NodeHttpHandler({ connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true });

  return async ({ operation, method, path = '', headers = {}, body }) => {
    const request = new HttpRequest({
      method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: `${basePath}${path}` || '/',
      headers: { ...headers, host: endpoint.host },
      ...(body === undefined ? {} : { body }),
    });
    if (calls.hasSubscribers) calls.publish({ phase: 'start', service: api.service, operation });
    try {
      const signed = await signer.sign(request);
      const { response } = await handler.handle(signed as HttpRequest);
      return { status: response.statusCode, headers: response.headers, body: response.body as IncomingMessage };
    } catch (error) {
      throw new AwsCallError(api.service, operation, 'NetworkError', true, { cause: error });
    } finally {
      if (calls.hasSubscribers) calls.publish({ phase: 'end', service: api.service, operation });
    }
  };
}

/** The whole body of an answer as UTF-8 text; a body cut off on the way is a `NetworkError`. */
export async function readText(response: AwsHttpResponse, service: string, operation: string): Promise<string> {
  try {
    return Buffer.from(await streamCollector(response.body)).toString('utf8');
  } catch (error) {
    throw new AwsCallError(service, operation, 'NetworkError', true, { cause: error });
  }
}

/**
 * Calls `attempt` until it succeeds, fails in a way `mayRetry` does not accept, or has been
 * made `maxAttempts` times, with the SDK standard retry's jittered exponential backoff.
 */
export async function withRetries<T>(attempt: () => Promise<T>, maxAttempts: number, mayRetry: (error: unknown) => boolean): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= maxAttempts || !mayRetry(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries * (0.5 + Math.random() / 2)));
    }
  }
}

function defaultEndpoint(prefix: string, region: string): string {
  return `https://${prefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
