import { AwsCallError, MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError, NotAcceptedBecause } from '../commons/errors';
import { mayHaveBeenReceived } from './http/request-written';

// SES answers with these when the email will never be accepted as it is.
const PERMANENT_REJECTIONS = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'AccountSuspendedException',
  'SendingPausedException',
]);

const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException']);

/**
 * What a failed `SendEmail` means for the email, judged by what SES can have received:
 *
 * | failure | how it is told | means |
 * |---|---|---|
 * | throttling (429, `TooManyRequestsException`, `LimitExceededException`) | SES's answer | not sent: {@link MailNotAcceptedError} `THROTTLED` |
 * | a 5xx | SES's answer (no message id) | not sent: `SES_ERROR` |
 * | a permanent refusal (`MessageRejected`, unverified identity, paused account, other 4xx) | SES's answer | refused for good: {@link MailRejectedError} |
 * | refused connection, DNS failure, connect timeout, TLS failure | no connection was up to carry the request (`mayHaveBeenReceived`) | not sent: `UNREACHABLE` |
 * | timeout or reset once connected, an unreadable answer, anything else | | unknown: {@link MailOutcomeUnknownError} |
 *
 * SES's answers come as {@link AwsCallError} with `httpStatus` (from `sesSendingClient`). "No
 * connection was up" is known only for its `NetworkError`s; any other error is unknown, the safe side.
 *
 * @example
 * classifySesError(econnrefused) // MailNotAcceptedError, because 'UNREACHABLE'
 */
export function classifySesError(error: unknown): Error {
  const answered = error instanceof AwsCallError && error.httpStatus !== undefined ? error : undefined;
  if (answered && answered.code !== 'MalformedResponse') {
    const status = answered.httpStatus ?? 0;
    const name = answered.code;
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
  }
  // No answer: what the transport failed with is the cause of its `NetworkError`.
  const network = error instanceof AwsCallError && error.code === 'NetworkError' ? error.cause : error;
  const what = networkErrorName(network);
  if (!answered && mayHaveBeenReceived(network) === false) {
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
