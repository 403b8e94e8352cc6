import { MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError } from '../../platform/function-errors';
import type { Customer } from '../../directory/facts';
import type { NoticeLinks } from '../../mail/links';
import { noticeMailTags } from '../../mail/mail-tags';
import type { RenderedEmail } from '../render-purchase-notice';
import type { Mailer } from '../../mail/ports/mailer';

/** What SES made of one notice, by what it can have received (see `classifySesError`). */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly sesMessageId: string }
  /** Certainly not sent (throttled, 5xx, unreachable): the claim may be given back and the record retried. */
  | { readonly kind: 'not-accepted'; readonly error: MailNotAcceptedError }
  /** Refused for good: retrying would fail the same way. */
  | { readonly kind: 'rejected'; readonly error: MailRejectedError }
  /** It may have gone: never sent again by itself. */
  | { readonly kind: 'unknown'; readonly error: MailOutcomeUnknownError };

/**
 * Sends a rendered notice to the owner through the mailer, tagged with its notice id so
 * that SES's events find their way back to its ledger row. Any error that is not a mail
 * error (a bug, a crash) is thrown.
 */
export async function sendNotice(
  mailer: Mailer,
  notice: { readonly noticeId: string; readonly owner: Customer; readonly email: RenderedEmail; readonly links: NoticeLinks },
): Promise<SendOutcome> {
  try {
    const sesMessageId = await mailer.send({
      to: notice.owner.email,
      subject: notice.email.subject,
      html: notice.email.html,
      text: notice.email.text,
      listUnsubscribe: notice.links.unsubscribe,
      tags: noticeMailTags(notice.noticeId),
    });
    return { kind: 'sent', sesMessageId };
  } catch (error) {
    if (error instanceof MailNotAcceptedError) return { kind: 'not-accepted', error };
    if (error instanceof MailRejectedError) return { kind: 'rejected', error };
    if (error instanceof MailOutcomeUnknownError) return { kind: 'unknown', error };
    throw error;
  }
}
