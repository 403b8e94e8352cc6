import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsCallError, ConfigurationError } from '../errors';

/** One AWS JSON protocol operation: its name and request in, the parsed response out. */
export type AwsJsonCall = (operation: string, request: object) => Promise<unknown>;

/** An AWS service spoken over its JSON protocol (`X-Amz-Target: <targetPrefix>.<Operation>`). */
export interface AwsJsonService {
  /** Signing name and endpoint prefix (`ssm`, `sqs`). */
  readonly service: string;
  /** `AmazonSSM`, `AmazonSQS`, ... */
  readonly targetPrefix: string;
  /** The protocol's version: `1.0` (SQS) or `1.1` (SSM). */
  readonly jsonVersion: '1.0' | '1.1';
}

/** Options for {@link awsJsonCall}; each defaults to what Lambda's environment gives. */
export interface AwsJsonCallOptions {
  /** @default process.env.AWS_REGION */
  readonly region?: string;
  /**
   * Base URL of the service.
   *
   * @default AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else `https://<service>.<region>.amazonaws.com` (`.com.cn` in China)
   */
  readonly endpoint?: string;
  /** @default fromEnv() - the role's keys as Lambda sets them */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Give up on an attempt after this long, so a hung connection cannot hold the batch. @default 3000 */
  readonly timeoutMs?: number;
  /** Attempts for a call that failed on the way (network, throttling, 5xx), as the SDK's standard retry. @default 3 */
  readonly maxAttempts?: number;
  readonly env?: NodeJS.ProcessEnv;
}

// Retried with a short backoff, as the SDK's standard retry strategy would.
const RETRYABLE_CODES = new Set([
  'ThrottlingException', 'Throttling', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException',
  'InternalServerError', 'InternalFailure', 'ServiceUnavailable', 'KMSInternalException',
]);

/**
 * A SigV4-signed AWS JSON protocol POST, built from the SDK's own signer and HTTP handler.
 *
 * Hand-written for the few single-operation calls our functions make to services whose SDK
 * client costs more than the rest of the function: a client registers the schemas and error
 * classes of all its operations, so esbuild cannot drop them (SSM's is 80 KB, SQS's 24 KB,
 * KMS's 27 KB, to send one message or make one MAC). The signer, the hash and the HTTP handler (which loads
 * `node:http` lazily) are in every bundle anyway for the DynamoDB and SES clients, so a
 * call costs about 1 KB. DynamoDB and SES, whose requests are many and rich, keep their
 * clients.
 *
 * Throws {@link AwsCallError} with the service's error code (`__type`, namespace cut off),
 * `NetworkError` when no answer came, or `MalformedResponse`.
 *
 * @example
 * const ssm = awsJsonCall({ service: 'ssm', targetPrefix: 'AmazonSSM', jsonVersion: '1.1' });
 * await ssm('GetParameter', { Name: '/registry-notices/sending-paused' }); // { Parameter: { Value: 'false', ... } }
 */
export function awsJsonCall(api: AwsJsonService, options: AwsJsonCallOptions = {}): AwsJsonCall {
  const env = options.env ?? process.env;
  const region = options.region ?? env.AWS_REGION;
  if (!region) throw new ConfigurationError(`AWS_REGION is not set: calls to ${api.service} need a region`);
  const endpoint = new URL(options.endpoint ?? env[`AWS_ENDPOINT_URL_${api.service.toUpperCase()}`] ?? env.AWS_ENDPOINT_URL ?? defaultEndpoint(api.service, region));
  const signer = new SignatureV4({ service: api.service, region, credentials: options.credentials ?? fromEnv(), sha256: Sha256 });
  const timeoutMs = options.timeoutMs ?? 3000;
  const http = new NodeHttpHandler({ connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true });
  const maxAttempts = options.maxAttempts ?? 3;

  const attempt = async (operation: string, body: string): Promise<unknown> => {
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname,
      headers: {
        host: endpoint.host,
        'content-type': `application/x-amz-json-${api.jsonVersion}`,
        'x-amz-target': `${api.targetPrefix}.${operation}`,
      },
      body,
    });
    const signed = await signer.sign(request);
    let status: number;
    let text: string;
    try {
      const { response } = await http.handle(signed as HttpRequest);
      status = response.statusCode;
      text = Buffer.from(await streamCollector(response.body)).toString('utf8');
    } catch (error) {
      throw new AwsCallError(api.service, operation, 'NetworkError', true, { cause: error });
    }
    const parsed = parseJson(text);
    if (status === 200) {
      if (parsed === undefined) throw new AwsCallError(api.service, operation, 'MalformedResponse', false);
      return parsed;
    }
    // AWS JSON errors name their type in `__type`, sometimes as `namespace#Code`.
    const type = String((parsed as { __type?: unknown } | undefined)?.__type ?? `HTTP${status}`);
    const code = type.slice(type.lastIndexOf('#') + 1);
    throw new AwsCallError(api.service, operation, code, status >= 500 || status === 429 || RETRYABLE_CODES.has(code));
  };

  return async (operation, request) => {
    const body = JSON.stringify(request);
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt(operation, body);
      } catch (error) {
        if (!(error instanceof AwsCallError) || !error.retryable || tries >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries * (0.5 + Math.random() / 2)));
      }
    }
  };
}

/**
 * {@link awsJsonCall}, set up on its first call: a module can create one at import without
 * the environment it will read (`AWS_REGION`, the endpoint) being there yet.
 *
 * @example
 * export const kms = lazyAwsJsonCall({ service: 'kms', targetPrefix: 'TrentService', jsonVersion: '1.1' });
 */
export function lazyAwsJsonCall(api: AwsJsonService, options: AwsJsonCallOptions = {}): AwsJsonCall {
  let call: AwsJsonCall | undefined;
  return (operation, request) => {
    call ??= awsJsonCall(api, options);
    return call(operation, request);
  };
}

function defaultEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
