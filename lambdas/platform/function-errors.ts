import { RegistryNoticesError } from './errors';

/** The functions' errors, on the project's one base (lambdas/platform/errors.ts). */
export { RegistryNoticesError };

/** A setting is missing or wrong; raised at cold start so a bad deploy fails loudly. */
export class ConfigurationError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * A record could not be finished now but may be later: it is reported as a batch
 * item failure and SQS delivers it again after the visibility timeout.
 */
export class RetryLaterError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RetryLaterError';
  }
}

/** Another invocation holds a fresh claim on the same notice. */
export class ClaimInProgressError extends RetryLaterError {
  constructor(noticeId: string, options?: ErrorOptions) {
    super(`notice ${noticeId} is being sent by another invocation`, options);
    this.name = 'ClaimInProgressError';
  }
}

/** Base of what a mailer throws. */
export class MailError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailError';
  }
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
  readonly because: NotAcceptedBecause;
  constructor(because: NotAcceptedBecause, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailNotAcceptedError';
    this.because = because;
  }
}

/** SES answered and refused the email for good (e.g. MessageRejected): do not retry. */
export class MailRejectedError extends MailError {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailRejectedError';
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
  constructor(options?: ErrorOptions) {
    super('RecipientNotPlain', 'the recipient is not one plain email address: refused before SES', options);
    this.name = 'RecipientNotPlainError';
  }

  override get reason(): string {
    return 'RECIPIENT_NOT_PLAIN';
  }
}

/** No answer from SES (timeout, connection lost): the email may or may not have gone. */
export class MailOutcomeUnknownError extends MailError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailOutcomeUnknownError';
  }
}

/** A caller passed a value the operation cannot work with: a bug in the caller, not bad input from outside. */
export class InvalidArgumentError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidArgumentError';
  }
}

/**
 * An event (a schedule's payload, an operator's request) broke its contract: the invocation
 * fails with every broken rule, field and rule, and does nothing.
 */
export class InvalidEventError extends RegistryNoticesError {
  readonly issues: readonly { readonly field: string; readonly rule: string }[];
  constructor(issues: readonly { readonly field: string; readonly rule: string }[], options?: ErrorOptions) {
    super(`invalid event: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`, options);
    this.name = 'InvalidEventError';
    this.issues = issues;
  }
}

/**
 * A call to an AWS service over its JSON protocol failed (see `awsJsonCall`): the service's
 * error code, `NetworkError` when no answer came, or `MalformedResponse`.
 */
export class AwsCallError extends RegistryNoticesError {
  /** The service's error code (`ParameterNotFound`, `QueueDoesNotExist`, ...), `NetworkError` or `MalformedResponse`. */
  readonly code: string;
  /** Whether trying again soon may succeed (throttling, 5xx, network). */
  readonly retryable: boolean;
  /** The HTTP status the service answered with; absent when no answer came (`NetworkError`). */
  readonly httpStatus?: number;
  constructor(service: string, operation: string, code: string, retryable: boolean, options?: ErrorOptions & { readonly httpStatus?: number }) {
    super(`${service} ${operation} failed: ${code}`, options);
    this.name = 'AwsCallError';
    this.code = code;
    this.retryable = retryable;
    if (options?.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }
}

/** An SSM parameter could not be read (missing, denied, throttled, no answer). */
export class ParameterReadError extends RegistryNoticesError {
  /** SSM's error code (`ParameterNotFound`, `AccessDeniedException`, ...), or `NetworkError`. */
  readonly code: string;
  /** Whether trying again soon may succeed (throttling, 5xx, network). */
  readonly retryable: boolean;
  constructor(parameterName: string, code: string, retryable: boolean, options?: ErrorOptions) {
    super(`SSM parameter ${parameterName} could not be read: ${code}`, options);
    this.name = 'ParameterReadError';
    this.code = code;
    this.retryable = retryable;
  }
}

/** An S3 object is not the version it was (an `If-Match` failed): whoever read it must start again. */
export class ObjectChangedError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObjectChangedError';
  }
}

/** S3 answered with an error status. */
export class ObjectStoreError extends RegistryNoticesError {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObjectStoreError';
    this.status = status;
  }
}

/**
 * The stack's MAC key could not be used now (KMS throttled, unreachable, or the key disabled):
 * nothing was signed or checked. Transient for a record (retried), a 503 for a request.
 */
export class KeyUnavailableError extends RetryLaterError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyUnavailableError';
  }
}

/** The audit queue took only part of a batch of shard messages: the run fails, and the next tick queues every shard again. */
export class AuditShardQueueError extends RegistryNoticesError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditShardQueueError';
  }
}
