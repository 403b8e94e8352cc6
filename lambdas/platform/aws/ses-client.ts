import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { neverLeftPlugin, RequestWrittenTrackingHandler } from './may-have-reached';
import { NoResendRetryStrategy } from './no-resend-retry-strategy';

/** Options for {@link sesClient}: the SDK's, but for its handler and retries, which are ours. */
export interface SesClientOptions extends Omit<SESv2ClientConfig, 'requestHandler' | 'retryStrategy' | 'maxAttempts'> {
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
}

/**
 * An SES v2 client fit for sending mail exactly once at most: its failures tell "SES
 * certainly took nothing" from "unknown" (see `classifySesError`), and the SDK never
 * retries an attempt that may have reached SES ({@link NoResendRetryStrategy} over the
 * {@link RequestWrittenTrackingHandler}); an attempt whose credentials or signing failed never
 * left and counts as not sent. Every `SesMailer` should be given one.
 *
 * @example
 * const mailer = new SesMailer({ client: sesClient(), fromAddress, configurationSetName });
 */
export function sesClient(options: SesClientOptions = {}): SESv2Client {
  const { maxAttempts = 3, connectionTimeoutMs = 2000, socketTimeoutMs = 10_000, ...config } = options;
  const client = new SESv2Client({
    ...config,
    requestHandler: new RequestWrittenTrackingHandler({ connectionTimeout: connectionTimeoutMs, socketTimeout: socketTimeoutMs }),
    retryStrategy: new NoResendRetryStrategy(maxAttempts),
  });
  client.middlewareStack.use(neverLeftPlugin());
  return client;
}
