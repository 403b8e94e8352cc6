/** An email ready for SES: one recipient, both parts. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /**
   * The recipient's signed one-click unsubscribe link (`UnsubscribeLinks`): the mailer sends it
   * as `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
   */
  readonly listUnsubscribe?: string;
  /** Non-personal tags for SES event publishing (`domain/mail-tags.ts`); values already fit SES's alphabet. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Sends one email and returns the provider's message id. Throws `MailError`s (see commons/errors). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<string>;
}
