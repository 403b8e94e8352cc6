import { RegistryNoticesError } from './errors';

/** The functions' errors, on the project's one base (lambdas/platform/errors.ts). */
export { RegistryNoticesError };

/** A setting is missing or wrong; raised at cold start so a bad deploy fails loudly. */
export class ConfigurationError extends RegistryNoticesError {
  override name = 'ConfigurationError';
}

/**
 * A record could not be finished now but may be later: it is reported as a batch
 * item failure and SQS delivers it again after the visibility timeout.
 */
export class RetryLaterError extends RegistryNoticesError {
  override name = 'RetryLaterError';
}

/** Another invocation holds a fresh claim on the same notice. */
export class ClaimInProgressError extends RetryLaterError {
  override name = 'ClaimInProgressError';

  constructor(noticeId: string, options?: ErrorOptions) {
    super(`notice ${noticeId} is being sent by another invocation`, options);
  }
}

/** Base of what a mailer throws. */
export class MailError extends RegistryNoticesError {
  override name = 'MailError';
}

/** Why SES certainly did not take an email. */
export const NotAcceptedBecause = {
  /** SES answered "slow down" (throttling, 429). */
  THROTTLED: 'THROTTLED',
  /** SES answered with a server error (5xx) and no message id. */
  SES_ERROR: 'SES_ERROR',
  /** SES was never reached: connection refused, DNS or TLS failure, connect timeout. */
  UNREACHABLE: 'UNREACHABLE',
  /** The request never left this process: the credentials could not be had, or signing failed. */
  NOT_SIGNED: 'NOT_SIGNED',
  /** SES refused it for the account's state (`SendingPausedException`, `AccountSuspendedException`): stop sending, send later. */
  ACCOUNT_PAUSED: 'ACCOUNT_PAUSED',
} as const;
export type NotAcceptedBecause = (typeof NotAcceptedBecause)[keyof typeof NotAcceptedBecause];

/** SES certainly did not take the email, but may later (throttling, 5xx, unreachable, unsigned, account paused): safe to retry. */
export class MailNotAcceptedError extends MailError {
  override name = 'MailNotAcceptedError';

  readonly because: NotAcceptedBecause;
  constructor(because: NotAcceptedBecause, message: string, options?: ErrorOptions) {
    super(message, options);
    this.because = because;
  }
}

/** SES answered and refused the email for good (e.g. MessageRejected): do not retry. */
export class MailRejectedError extends MailError {
  override name = 'MailRejectedError';

  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** The ledger's `reason` for the refusal: `SES_<code>`. */
  get reason(): string {
    return `SES_${this.code}`;
  }
}

/**
 * The mailer refused the recipient before SES saw it: not one plain address (a list, a
 * display name, CR/LF). Refused for good, like an SES rejection; nothing was sent.
 */
export class RecipientNotPlainError extends MailRejectedError {
  override name = 'RecipientNotPlainError';

  constructor(options?: ErrorOptions) {
    super('RecipientNotPlain', 'the recipient is not one plain email address: refused before SES', options);
  }

  override get reason(): string {
    return 'RECIPIENT_NOT_PLAIN';
  }
}

/** No answer from SES (timeout, connection lost): the email may or may not have gone. */
export class MailOutcomeUnknownError extends MailError {
  override name = 'MailOutcomeUnknownError';
}

/** A caller passed a value the operation cannot work with: a bug in the caller, not bad input from outside. */
export class InvalidArgumentError extends RegistryNoticesError {
  override name = 'InvalidArgumentError';
}

/**
 * An event (a schedule's payload, an operator's request) broke its contract: the invocation
 * fails with every broken rule, field and rule, and does nothing.
 */
export class InvalidEventError extends RegistryNoticesError {
  override name = 'InvalidEventError';

  readonly issues: readonly { readonly field: string; readonly rule: string }[];
  constructor(issues: readonly { readonly field: string; readonly rule: string }[], options?: ErrorOptions) {
    super(`invalid event: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`, options);
    this.issues = issues;
  }
}

/** An SSM parameter could not be read (missing, denied, throttled, no answer). */
export class ParameterReadError extends RegistryNoticesError {
  override name = 'ParameterReadError';

  /** SSM's error code (`ParameterNotFound`, `AccessDeniedException`, ...), or `NetworkError`. */
  readonly code: string;
  /** Whether trying again soon may succeed (throttling, 5xx, network). */
  readonly retryable: boolean;
  constructor(parameterName: string, code: string, retryable: boolean, options?: ErrorOptions) {
    super(`SSM parameter ${parameterName} could not be read: ${code}`, options);
    this.code = code;
    this.retryable = retryable;
  }
}

/** An S3 object is not the version it was (an `If-Match` failed): whoever read it must start again. */
export class ObjectChangedError extends RegistryNoticesError {
  override name = 'ObjectChangedError';
}

/** S3 answered with an error status. */
export class ObjectStoreError extends RegistryNoticesError {
  override name = 'ObjectStoreError';

  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/**
 * The stack's MAC key could not be used now (KMS throttled, unreachable, or the key disabled):
 * nothing was signed or checked. Transient for a record (retried), a 503 for a request.
 */
export class KeyUnavailableError extends RetryLaterError {
  override name = 'KeyUnavailableError';
}

/** The audit queue took only part of a batch of shard messages: the run fails, and the next tick queues every shard again. */
export class AuditShardQueueError extends RegistryNoticesError {
  override name = 'AuditShardQueueError';
}
