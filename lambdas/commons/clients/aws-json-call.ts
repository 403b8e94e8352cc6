import { AwsCallError } from '../errors';
import { readText, signedHttp, withRetries, type SignedHttpOptions } from './signed-http';

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
export interface AwsJsonCallOptions extends Omit<SignedHttpOptions, 'handler'> {
  /** Attempts for a call that failed on the way (network, throttling, 5xx), as the SDK's standard retry. @default 3 */
  readonly maxAttempts?: number;
}

// Retried with a short backoff, as the SDK's standard retry strategy would.
const RETRYABLE_CODES = new Set([
  'ThrottlingException', 'Throttling', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException',
  'InternalServerError', 'InternalFailure', 'ServiceUnavailable', 'KMSInternalException',
]);

/**
 * A SigV4-signed AWS JSON protocol POST over {@link signedHttp} (the SDK's own signer and HTTP handler).
 *
 * Hand-written for the few single-operation calls our functions make to services whose SDK
 * client costs more than the rest of the function: a client registers the schemas and error
 * classes of all its operations, so esbuild cannot drop them (SSM's is 80 KB, SQS's 24 KB,
 * KMS's 27 KB, to send one message or make one MAC). The signer, the hash and the HTTP handler (which loads
 * `node:http` lazily) are in every bundle anyway for the DynamoDB client, so a call costs
 * about 1 KB. DynamoDB, whose requests are many and rich, keeps its client; SES v2 is not a
 * JSON-protocol service but REST (`lambdas/adapters/ses-sending-client.ts`, on the same transport).
 *
 * Throws {@link AwsCallError} with the service's error code (`__type`, namespace cut off),
 * `NetworkError` when no answer came, or `MalformedResponse`.
 *
 * @example
 * const ssm = awsJsonCall({ service: 'ssm', targetPrefix: 'AmazonSSM', jsonVersion: '1.1' });
 * await ssm('GetParameter', { Name: '/registry-notices/sending-paused' }); // { Parameter: { Value: 'false', ... } }
 */
export function awsJsonCall(api: AwsJsonService, options: AwsJsonCallOptions = {}): AwsJsonCall {
  const { maxAttempts = 3, ...transport } = options;
  const send = signedHttp({ service: api.service }, transport);

  const attempt = async (operation: string, body: string): Promise<unknown> => {
    const response = await send({
      operation,
      method: 'POST',
      headers: { 'content-type': `application/x-amz-json-${api.jsonVersion}`, 'x-amz-target': `${api.targetPrefix}.${operation}` },
      body,
    });
    const { status } = response;
    const parsed = parseJson(await readText(response, api.service, operation));
    if (status === 200) {
      if (parsed === undefined) throw new AwsCallError(api.service, operation, 'MalformedResponse', false, { httpStatus: status });
      return parsed;
    }
    // AWS JSON errors name their type in `__type`, sometimes as `namespace#Code`.
    const type = String((parsed as { __type?: unknown } | undefined)?.__type ?? `HTTP${status}`);
    const code = type.slice(type.lastIndexOf('#') + 1);
    throw new AwsCallError(api.service, operation, code, status >= 500 || status === 429 || RETRYABLE_CODES.has(code), { httpStatus: status });
  };

  return (operation, request) => {
    const body = JSON.stringify(request);
    return withRetries(() => attempt(operation, body), maxAttempts, (error) => error instanceof AwsCallError && error.retryable);
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
