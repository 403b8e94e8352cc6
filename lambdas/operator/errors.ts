import { RegistryNoticesError } from '../platform/function-errors';

/** The request carries no IAM caller (the URL is not `AWS_IAM`, or the event was not a function URL's). Answered 403. */
export class NoCallerIdentityError extends RegistryNoticesError {
  override name = 'NoCallerIdentityError';

  constructor(options?: ErrorOptions) {
    super('the request has no IAM caller identity (requestContext.authorizer.iam); call the function URL with a SigV4-signed request', options);
  }
}

/** The event is no function URL's: a direct `lambda:Invoke`. Answered 403 `NOT_VIA_FUNCTION_URL`. */
export class NotViaFunctionUrlError extends RegistryNoticesError {
  override name = 'NotViaFunctionUrlError';

  constructor(readonly missing: readonly string[], options?: ErrorOptions) {
    super(`the operator function answers only through its function URL; this event has no ${missing.join(', ')} (a direct invocation?)`, options);
  }
}

/**
 * The caller may not see addresses in the clear (`notice show` with `reveal`): revealing is a
 * permission of its own (notices/reveal-permission.ts). Answered 403 `REVEAL_NOT_PERMITTED`,
 * with the rule as an issue of field `caller`.
 */
export class RevealNotPermittedError extends RegistryNoticesError {
  override name = 'RevealNotPermittedError';

  constructor(
    readonly rule: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`you may not reveal addresses (${rule}): ${reason}`, options);
  }
}

/**
 * `apology preview`: the apology preview function ran and failed (its error type and message),
 * answered no preview, or Lambda refused the invocation (no `lambda:InvokeFunction` on it, no
 * such function): a fault of the deployment or of that function. Answered 502 `PREVIEW_FAILED`.
 */
export class ApologyPreviewFailedError extends RegistryNoticesError {
  override name = 'ApologyPreviewFailedError';
}

/**
 * `apology preview`: Lambda throttled the preview function or could not be reached, after the
 * SDK's retries; trying again later may work. Answered 503 `PREVIEW_UNAVAILABLE`.
 */
export class ApologyPreviewUnavailableError extends RegistryNoticesError {
  override name = 'ApologyPreviewUnavailableError';
}
