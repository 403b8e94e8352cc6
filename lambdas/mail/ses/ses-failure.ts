import type { SdkError } from '@smithy/types';
import { MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError, NotAcceptedBecause } from '../../platform/function-errors';
import { hasHttpResponse, mayHaveBeenReceived, neverLeftProcess } from '../../platform/aws/may-have-reached';

// SES answers with these when the email will never be accepted as it is.
const PERMANENT_REJECTIONS = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'NotFoundException']);

// The account's state, not this email's: stop sending for a while, send it later.
const ACCOUNT_STATES = new Set(['SendingPausedException', 'AccountSuspendedException']);

const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException']);

/**
 * What a failed `SendEmail` means for the email, judged by what SES can have received:
 *
 * | failure | how it is told | means |
 * |---|---|---|
 * | throttling (429, `TooManyRequestsException`, `LimitExceededException`) | SES's answer | not sent: {@link MailNotAcceptedError} `THROTTLED` |
 * | a 5xx | SES's answer (no message id) | not sent: `SES_ERROR` |
 * | the account paused or suspended (`SendingPausedException`, `AccountSuspendedException`) | SES's answer | not sent: `ACCOUNT_PAUSED` (stop sending, send later) |
 * | a permanent refusal (`MessageRejected`, unverified identity, other 4xx) | SES's answer | refused for good: {@link MailRejectedError} |
 * | no credentials, signing failed | the request never reached the HTTP handler | not sent: `NOT_SIGNED` |
 * | refused connection, DNS failure, connect timeout, TLS failure | no connection was up to carry the request (`mayHaveBeenReceived`) | not sent: `UNREACHABLE` |
 * | timeout or reset once connected, an unreadable answer, anything else | | unknown: {@link MailOutcomeUnknownError} |
 *
 * "Never left" and "no connection was up" are known only for clients made by `sesClient`
 * (`lambdas/platform/aws/ses-client.ts`); with any other client such an error is unknown, the safe side.
 *
 * @example
 * classifySesError(econnrefused) // MailNotAcceptedError, because 'UNREACHABLE'
 */
export function classifySesError(error: unknown): Error {
  const name = error instanceof Error ? error.name : 'unknown error';
  if (hasHttpResponse(error)) {
    const status = (error as SdkError).$metadata?.httpStatusCode ?? 0;
    if (ACCOUNT_STATES.has(name)) {
      return new MailNotAcceptedError(NotAcceptedBecause.ACCOUNT_PAUSED, `SES does not send for the account now: ${name}`, { cause: error });
    }
    if (PERMANENT_REJECTIONS.has(name)) {
      return new MailRejectedError(name, `SES refused the email: ${name}`, { cause: error });
    }
    if (THROTTLING.has(name) || status === 429) {
      return new MailNotAcceptedError(NotAcceptedBecause.THROTTLED, `SES did not accept the email now: ${name}`, { cause: error });
    }
    if (status >= 500) {
      return new MailNotAcceptedError(NotAcceptedBecause.SES_ERROR, `SES did not accept the email now: ${name}`, { cause: error });
    }
    if (status >= 400) {
      return new MailRejectedError(name, `SES refused the email: ${name}`, { cause: error });
    }
    // A 2xx whose body could not be read: SES may have sent it.
    return new MailOutcomeUnknownError(`SES's answer could not be read (${name}): the email may or may not have been sent`, { cause: error });
  }
  const what = networkErrorName(error);
  if (neverLeftProcess(error)) {
    return new MailNotAcceptedError(NotAcceptedBecause.NOT_SIGNED, `the request to SES was never sent (${what}): nothing was sent`, { cause: error });
  }
  if (!mayHaveBeenReceived(error)) {
    return new MailNotAcceptedError(NotAcceptedBecause.UNREACHABLE, `SES was not reached (${what}): nothing was sent`, { cause: error });
  }
  return new MailOutcomeUnknownError(`no answer from SES (${what}): the email may or may not have been sent`, { cause: error });
}

/** `ECONNREFUSED`, `TimeoutError`, ...: the code Node gives a network error, else its name. */
function networkErrorName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : error.name;
}
