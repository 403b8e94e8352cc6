import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { hasHttpResponse, mayHaveBeenReceived } from './may-have-reached';

/**
 * The SDK's standard retries (jittered backoff, throttling delays, `Retry-After`, the retry
 * quota), except that an attempt which may have reached the server without an answer is never
 * sent again. For a call with no idempotency token, such as SES `SendEmail`, the standard
 * strategy would retry a timeout or a reset after the request went out, and the email could
 * go twice.
 *
 * Retried as the standard strategy decides: an answer that says "not done" (throttling, 5xx)
 * and an attempt that never had a connection (refused, DNS, TLS, connect timeout). Never
 * retried: an attempt whose connection was up and then failed. Needs a client whose request
 * handler is a `RequestWrittenTrackingHandler`; with any other, every network error counts as
 * "may have reached the server" and is not retried.
 *
 * @example
 * new SESv2Client({ requestHandler: new RequestWrittenTrackingHandler(), retryStrategy: new NoResendRetryStrategy(3) });
 */
export class NoResendRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  readonly #standard: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.#standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.#standard.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    // Rejecting ends the retries: the SDK then throws the attempt's own error.
    if (!hasHttpResponse(errorInfo.error) && mayHaveBeenReceived(errorInfo.error)) return Promise.reject(errorInfo.error);
    return this.#standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.#standard.recordSuccess(token);
  }
}
