import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigurationError, ParameterReadError } from '../commons/errors';

/** Reads the value of one SSM parameter; throws {@link ParameterReadError} when it cannot. */
export type ReadParameter = (name: string) => Promise<string>;

/** Options for {@link ssmParameterReader}; each defaults to what Lambda's environment gives. */
export interface SsmParameterReaderOptions {
  /** @default process.env.AWS_REGION */
  readonly region?: string;
  /**
   * Base URL of the SSM API.
   *
   * @default AWS_ENDPOINT_URL_SSM, else AWS_ENDPOINT_URL, else `https://ssm.<region>.amazonaws.com` (`.com.cn` in China)
   */
  readonly endpoint?: string;
  /** @default fromEnv() - the role's keys as Lambda sets them */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Give up on a read after this long, so a hung connection cannot hold the batch. @default 3000 */
  readonly timeoutMs?: number;
  /** Attempts for a read that failed on the way (network, throttling, 5xx). @default 3 */
  readonly maxAttempts?: number;
  readonly env?: NodeJS.ProcessEnv;
}

// Retried with a short backoff: the SDK client would have retried these too.
const RETRYABLE_CODES = new Set(['ThrottlingException', 'InternalServerError', 'ServiceUnavailable']);

/**
 * `AmazonSSM.GetParameter` as one SigV4-signed AWS JSON 1.1 POST, built from the SDK's own
 * signer and HTTP handler.
 *
 * Hand-written instead of `SSMClient` + `GetParameterCommand` because the SSM client adds
 * 80 KB to a function bundle (the schemas and error classes of its 150 operations are
 * registered with the client, so esbuild cannot drop them): more than the DynamoDB and SQS
 * clients together, for one read every few seconds. The signer (`@smithy/signature-v4`), the
 * hash and the HTTP handler (`@smithy/node-http-handler`, which loads `node:http` lazily) are
 * in the bundle anyway for the other clients, so this costs about 1 KB.
 *
 * @example
 * const read = ssmParameterReader();
 * await read('/registry-notices/sending-paused'); // 'false'
 */
export function ssmParameterReader(options: SsmParameterReaderOptions = {}): ReadParameter {
  const env = options.env ?? process.env;
  const region = options.region ?? env.AWS_REGION;
  if (!region) throw new ConfigurationError('AWS_REGION is not set: the SSM parameter reader needs a region');
  const endpoint = new URL(options.endpoint ?? env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL ?? defaultEndpoint(region));
  const signer = new SignatureV4({ service: 'ssm', region, credentials: options.credentials ?? fromEnv(), sha256: Sha256 });
  const timeoutMs = options.timeoutMs ?? 3000;
  const http = new NodeHttpHandler({ connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true });
  const maxAttempts = options.maxAttempts ?? 3;

  const attempt = async (name: string): Promise<string> => {
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname,
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body: JSON.stringify({ Name: name }),
    });
    const signed = await signer.sign(request);
    let status: number;
    let text: string;
    try {
      const { response } = await http.handle(signed as HttpRequest);
      status = response.statusCode;
      text = Buffer.from(await streamCollector(response.body)).toString('utf8');
    } catch (error) {
      throw new ParameterReadError(name, 'NetworkError', true, { cause: error });
    }
    const body = parseJson(text);
    if (status === 200) {
      const value = (body as { Parameter?: { Value?: unknown } } | undefined)?.Parameter?.Value;
      if (typeof value === 'string') return value;
      throw new ParameterReadError(name, 'MalformedResponse', false);
    }
    // AWS JSON errors name their type in `__type`, sometimes as `namespace#Code`.
    const type = String((body as { __type?: unknown } | undefined)?.__type ?? `HTTP${status}`);
    const code = type.slice(type.lastIndexOf('#') + 1);
    throw new ParameterReadError(name, code, status >= 500 || status === 429 || RETRYABLE_CODES.has(code));
  };

  return async (name) => {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt(name);
      } catch (error) {
        if (!(error instanceof ParameterReadError) || !error.retryable || tries >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries * (0.5 + Math.random() / 2)));
      }
    }
  };
}

function defaultEndpoint(region: string): string {
  return `https://ssm.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
