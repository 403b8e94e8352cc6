import { mailEventRecord } from '../mail/mail-fate';
import { mailSubjectFromTags, type MailSubject } from '../mail/mail-tags';
import type { SesEvent, SesEventType } from '../mail/ses-event';
import { softBouncesSuppress, suppressionEffects, type SoftBouncePolicy } from '../mail/suppression-policy';
import { eventRecipientHashes } from '../mail/ses-event-recipients';
import type { ApologyKey, EventRecording, MailEventStore, SuppressionRegister } from '../mail/ports/mail-feedback';

/** The adapters and settings one SES event is handled with. */
export interface FeedbackPipeline {
  /** SES events on notice ledger rows. */
  readonly notices: MailEventStore<string>;
  /** SES events on apology claims. */
  readonly apologies: MailEventStore<ApologyKey>;
  readonly suppressions: SuppressionRegister;
  readonly softBounces: SoftBouncePolicy;
  readonly now: () => Date;
}

/**
 * Why an SES event changed nothing and went to the quarantine: it is not about an email we
 * recorded, as we sent it. SES's own events never are; a forged one (anyone in the account who
 * got past the topic's policy) always is.
 */
export const SesEventRefusal = {
  /** Its tags name no notice or apology of ours, or one we do not have (never claimed, gone with its retention), or one that sent nothing (BLOCKED, FAILED). */
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  /** Its notice or apology records another SES message id: not the email we recorded (a second email went, or a forgery). */
  OTHER_MESSAGE: 'OTHER_MESSAGE',
  /** It names an address the email was not sent to, or more than the one it was. */
  FOREIGN_RECIPIENT: 'FOREIGN_RECIPIENT',
} as const;
export type SesEventRefusal = (typeof SesEventRefusal)[keyof typeof SesEventRefusal];

/** The rule each refusal names in the quarantine envelope. */
export const SES_EVENT_REFUSAL_RULES: Readonly<Record<SesEventRefusal, { readonly field: string; readonly rule: string }>> = {
  UNKNOWN_MESSAGE: { field: 'mail.messageId', rule: 'must be an email we sent: its tags name no notice or apology of ours that sent one' },
  OTHER_MESSAGE: { field: 'mail.messageId', rule: 'must be the SES message id its notice or apology recorded' },
  FOREIGN_RECIPIENT: { field: 'mail.destination', rule: 'must name only the address its email was sent to' },
};

/** What one SES event did. */
export interface FeedbackResult {
  readonly eventType: SesEventType;
  readonly sesMessageId: string;
  /** What the email was for, by its tags; `undefined` for mail that is not ours. */
  readonly subject: MailSubject | undefined;
  /** Whether the event was kept on its notice or apology (or why not). */
  readonly recording: EventRecording | 'no-subject';
  /** Why the event changed nothing and is to be quarantined; `undefined` when it was acted on. */
  readonly refusal: SesEventRefusal | undefined;
  /** An email in doubt (`UNCERTAIN`) that this event settled. */
  readonly settled: boolean;
  /** Addresses it put on the suppression list (now; not those that were on it already). */
  readonly suppressed: number;
  /** Soft bounces it counted. */
  readonly softBounces: number;
}

const REFUSAL_OF: Readonly<Record<EventRecording | 'no-subject', SesEventRefusal | undefined>> = {
  recorded: undefined,
  duplicate: undefined,
  'no-subject': SesEventRefusal.UNKNOWN_MESSAGE,
  'not-found': SesEventRefusal.UNKNOWN_MESSAGE,
  'unknown-message': SesEventRefusal.UNKNOWN_MESSAGE,
  'other-message': SesEventRefusal.OTHER_MESSAGE,
  'foreign-recipient': SesEventRefusal.FOREIGN_RECIPIENT,
};

/**
 * Hears back from SES about one email: first matches the event to the email it says it is
 * about (the notice ledger row or apology claim its tags name, with SES's message id and the
 * one recipient as the check), then keeps the event there, puts a bounced or complaining
 * recipient on the suppression list (soft bounces by {@link SoftBouncePolicy}), and settles
 * that email if its send was in doubt. An event that does not match changes nothing: no
 * suppression, no settling; its `refusal` says why (the caller quarantines it).
 *
 * Every step is idempotent and order-safe, so SES's at-least-once, unordered delivery is
 * harmless: a repeat changes nothing, a late `Send` never undoes a `Delivery`. A step that
 * fails throws, and the whole event is tried again (the match then finds the event kept
 * already, a `duplicate`, and the suppression is written).
 *
 * @example
 * const result = await processSesEvent(event, pipeline); // { eventType: 'Bounce', suppressed: 1, recording: 'recorded', refusal: undefined, ... }
 */
export async function processSesEvent(event: SesEvent, p: FeedbackPipeline): Promise<FeedbackResult> {
  const effects = suppressionEffects(event);
  const base = { eventType: event.eventType, sesMessageId: event.mail.messageId, settled: false, suppressed: 0, softBounces: 0 };
  const subject = mailSubjectFromTags(event.mail.tags);
  if (!subject) return { ...base, subject, recording: 'no-subject', refusal: REFUSAL_OF['no-subject'] };
  // Our emails go to one address: an event naming none, or several, is not about one of them.
  const [recipientHash, ...others] = eventRecipientHashes(event);
  if (recipientHash === undefined || others.length > 0) return { ...base, subject, recording: 'foreign-recipient', refusal: SesEventRefusal.FOREIGN_RECIPIENT };

  const record = mailEventRecord(event);
  const evidence = { type: event.eventType, messageId: event.mail.messageId, sentAt: event.mail.timestamp, recipientHash };
  const on = <K>(store: MailEventStore<K>, key: K) => ({
    record: () => store.record(key, event.eventType, record, recipientHash),
    settle: () => store.settleInDoubt(key, evidence),
  });
  const target =
    subject.kind === 'notice'
      ? on(p.notices, subject.noticeId)
      : on(p.apologies, { incidentId: subject.incidentId, addressHash: subject.addressHash });
  const { recording, settleable } = await target.record();
  const refusal = REFUSAL_OF[recording];
  if (refusal) return { ...base, subject, recording, refusal };

  // The event is about our email to this recipient: now it may suppress them.
  let suppressed = 0;
  for (const write of effects.suppress) {
    if ((await p.suppressions.suppress(write)) === 'suppressed') suppressed += 1;
  }
  for (const write of effects.softBounces) {
    const times = await p.suppressions.addSoftBounce(write, p.softBounces.windowDays);
    if (softBouncesSuppress(times, p.now(), p.softBounces)) {
      const detail = { ...write.detail, softBounces: String(times.length), softBounceWindowDays: String(p.softBounces.windowDays) };
      if ((await p.suppressions.suppress({ ...write, detail })) === 'suppressed') suppressed += 1;
    }
  }
  // Settled on a repeat too: the first delivery may have died between the writes. Not asked
  // when the item's email is settled already (SENT, FAILED…): nothing to settle.
  const settled = settleable ? await target.settle() : false;
  return { ...base, subject, recording, refusal, settled, suppressed, softBounces: effects.softBounces.length };
}
