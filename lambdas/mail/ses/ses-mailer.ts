import { SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailOutcomeUnknownError, RecipientNotPlainError } from '../../platform/function-errors';
import { isPlainAddress } from '../../directory/plain-address';
import type { Mailer, OutgoingEmail } from '../ports/mailer';
import { classifySesError } from './ses-failure';

export interface SesMailerOptions {
  /** From `sesClient` (`lambdas/platform/aws/ses-client.ts`): its failures tell "not sent" from "unknown". */
  readonly client: Pick<SESv2Client, 'send'>;
  readonly fromAddress: string;
  readonly configurationSetName: string;
}

/**
 * Sends through SES v2 with our configuration set. SES has no idempotency token,
 * so the caller's ledger claim is what prevents a second send; this adapter only
 * tells apart "not sent", "refused for good" and "no idea".
 */
export class SesMailer implements Mailer {
  readonly #options: SesMailerOptions;

  constructor(options: SesMailerOptions) {
    this.#options = options;
  }

  /** @throws RecipientNotPlainError, before any call to SES, when `to` is not one plain address. */
  async send(email: OutgoingEmail): Promise<string> {
    // The last line: callers check their data (the notify guards, the send-log import), but
    // a string that SES could read as more recipients or a header never leaves this adapter.
    if (!isPlainAddress(email.to)) throw new RecipientNotPlainError();
    const request: SendEmailCommandInput = {
      FromEmailAddress: this.#options.fromAddress,
      Destination: { ToAddresses: [email.to] },
      ConfigurationSetName: this.#options.configurationSetName,
      EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
          ...(email.listUnsubscribe ? { Headers: oneClickUnsubscribeHeaders(email.listUnsubscribe) } : {}),
        },
      },
    };
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.#options.client.send(new SendEmailCommand(request)));
    } catch (error) {
      throw classifySesError(error);
    }
    if (!messageId) throw new MailOutcomeUnknownError('SES answered without a message id');
    return messageId;
  }
}

/**
 * The headers of RFC 8058 one-click unsubscribe, in the order RFC 8058's examples (and SES's
 * guidance) give: `List-Unsubscribe` with our https link (RFC 2369: in angle brackets), then
 * `List-Unsubscribe-Post`, which tells a mail client that one POST of
 * `List-Unsubscribe=One-Click` to that link unsubscribes. RFC 8058 wants both covered by the DKIM
 * signature (Easy DKIM signs the message; docs/sender-requirements.md says how to check `h=`).
 *
 * @example
 * oneClickUnsubscribeHeaders('https://u.example/?token=abc') // [{ Name: 'List-Unsubscribe', Value: '<https://u.example/?token=abc>' }, { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }]
 */
export function oneClickUnsubscribeHeaders(url: string): { Name: string; Value: string }[] {
  return [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ];
}

/** SES tag values allow only [A-Za-z0-9_-], at most 256 of them. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
