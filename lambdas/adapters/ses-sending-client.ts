import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsCallError } from '../commons/errors';
import { readText, signedHttp, withRetries, type SignedHttp } from '../commons/clients/signed-http';
import { RequestWrittenTrackingHandler, mayHaveBeenReceived } from './http/request-written';

/** A header SES adds to the email (`List-Unsubscribe`). */
export interface SesHeader {
  readonly Name: string;
  readonly Value: string;
}

/** UTF-8 text of one part of the email. */
export interface SesContent {
  readonly Data: string;
  readonly Charset?: string;
}

/** `SendEmail`'s request, as SES v2 names its members (the SDK's `SendEmailRequest`, the simple content we send). */
export interface SesSendEmailInput {
  readonly FromEmailAddress: string;
  readonly Destination: { readonly ToAddresses: readonly string[] };
  readonly ConfigurationSetName?: string;
  readonly EmailTags?: readonly SesHeader[];
  readonly Content: {
    readonly Simple: {
      readonly Subject: SesContent;
      readonly Body: { readonly Html?: SesContent; readonly Text?: SesContent };
      readonly Headers?: readonly SesHeader[];
    };
  };
}

/** The part of `GetAccount`'s answer we read. */
export interface SesAccount {
  readonly SendQuota?: { readonly MaxSendRate?: number; readonly Max24HourSend?: number; readonly SentLast24Hours?: number };
}

/** The two SES v2 calls our functions make. */
export interface SesV2Api {
  /** @throws AwsCallError: SES's answer (`httpStatus`, `code`), or `NetworkError` (see `classifySesError`) */
  sendEmail(input: SesSendEmailInput): Promise<{ readonly MessageId?: string }>;
  getAccount(): Promise<SesAccount>;
}

/** Options for {@link sesSendingClient}; each defaults to what Lambda's environment gives. */
export interface SesSendingClientOptions {
  /** @default process.env.AWS_REGION */
  readonly region?: string;
  /** @default AWS_ENDPOINT_URL_SESV2, else AWS_ENDPOINT_URL, else `https://email.<region>.amazonaws.com` */
  readonly endpoint?: string;
  /** @default fromEnv() */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Attempts per call, counting the first; only attempts that certainly did not reach SES
   * (or that SES answered with "not now") are repeated.
   *
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * How long a connection may take to come up. Running out means nothing was sent.
   *
   * @default 2000
   */
  readonly connectionTimeoutMs?: number;
  /**
   * How long a connected request may wait without a byte from SES. Running out leaves the
   * outcome unknown, so it is kept well under the function's timeout.
   *
   * @default 10000
   */
  readonly socketTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

// Retried with backoff, as the SDK's standard retry strategy would: SES said "not now".
const THROTTLING_CODES = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling']);

/**
 * SES v2 `SendEmail` and `GetAccount` over its REST-JSON protocol (`POST
 * /v2/email/outbound-emails`, `GET /v2/email/account`), SigV4-signed by hand on our transport
 * (`signedHttp`, the SDK's signer and HTTP handler). Hand-written because `SESv2Client` brings
 * the schemas of all of SES's 100-odd operations (about 60 KB of a bundle) for these two.
 *
 * Fit for sending mail exactly once at most: its failures tell "SES certainly took nothing"
 * from "unknown" (see `classifySesError`), and it never repeats an attempt that may have
 * reached SES. Repeated: an answer that says "not done" (throttling, 5xx) and an attempt that
 * never had a connection (refused, DNS, TLS, connect timeout), which the
 * {@link RequestWrittenTrackingHandler} tells. Set up on its first call, so a module can make
 * one at import before the environment it reads is there. Every `SesMailer` should be given one.
 *
 * @example
 * const mailer = new SesMailer({ client: sesSendingClient(), fromAddress, configurationSetName });
 */
export function sesSendingClient(options: SesSendingClientOptions = {}): SesV2Api {
  const { maxAttempts = 3, connectionTimeoutMs = 2000, socketTimeoutMs = 10_000, ...where } = options;
  let http: SignedHttp | undefined;

  const call = (operation: string, method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> =>
    withRetries(
      async () => {
        http ??= signedHttp(
          { service: 'ses', endpointPrefix: 'email', endpointEnvId: 'SESV2' },
          { ...where, handler: new RequestWrittenTrackingHandler({ connectionTimeout: connectionTimeoutMs, socketTimeout: socketTimeoutMs }) },
        );
        const response = await http({ operation, method, path, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }) });
        const text = await readText(response, 'ses', operation);
        const parsed = parseJson(text);
        if (response.status >= 200 && response.status < 300) {
          if (parsed === undefined) throw new AwsCallError('ses', operation, 'MalformedResponse', false, { httpStatus: response.status });
          return parsed;
        }
        const code = restJsonErrorCode(response.headers['x-amzn-errortype'], parsed) ?? `HTTP${response.status}`;
        throw new AwsCallError('ses', operation, code, response.status >= 500 || response.status === 429 || THROTTLING_CODES.has(code), {
          httpStatus: response.status,
        });
      },
      maxAttempts,
      mayRepeat,
    );

  return {
    sendEmail: async (input) => (await call('SendEmail', 'POST', '/v2/email/outbound-emails', JSON.stringify(input))) as { MessageId?: string },
    getAccount: async () => (await call('GetAccount', 'GET', '/v2/email/account')) as SesAccount,
  };
}

/** Whether a failed attempt may be made again: SES answered "not now", or the request certainly never left. */
function mayRepeat(error: unknown): boolean {
  if (!(error instanceof AwsCallError)) return false;
  if (error.httpStatus !== undefined) return error.retryable;
  return error.code === 'NetworkError' && !mayHaveBeenReceived(error.cause);
}

/**
 * The error's code as the SDK's REST-JSON protocol reads it: the `x-amzn-ErrorType` header,
 * else the body's `code` or `__type`; anything after `:` (a URL) or before `#` (a namespace) cut off.
 */
function restJsonErrorCode(header: string | undefined, body: unknown): string | undefined {
  const fields = (body ?? {}) as { code?: unknown; __type?: unknown };
  const raw = header ?? (typeof fields.code === 'string' ? fields.code : typeof fields.__type === 'string' ? fields.__type : undefined);
  if (!raw) return undefined;
  const type = raw.split(':')[0]!;
  return type.slice(type.lastIndexOf('#') + 1) || undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
