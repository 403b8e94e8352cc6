import { mailEventRecord } from '../mail/mail-fate';
import { mailSubjectFromTags, type MailSubject } from '../mail/mail-tags';
import type { SesEvent, SesEventType } from '../mail/ses-event';
import { softBouncesSuppress, suppressionEffects, type SoftBouncePolicy } from '../mail/suppression-policy';
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

/** What one SES event did. */
export interface FeedbackResult {
  readonly eventType: SesEventType;
  readonly sesMessageId: string;
  /** What the email was for, by its tags; `undefined` for mail that is not ours. */
  readonly subject: MailSubject | undefined;
  /** Whether the event was kept on its notice or apology (or why not). */
  readonly recording: EventRecording | 'no-subject';
  /** An email in doubt (`UNCERTAIN`) that this event settled. */
  readonly settled: boolean;
  /** Addresses it put on the suppression list (now; not those that were on it already). */
  readonly suppressed: number;
  /** Soft bounces it counted. */
  readonly softBounces: number;
}

/**
 * Hears back from SES about one email: puts bounced and complaining addresses on the
 * suppression list (soft bounces by {@link SoftBouncePolicy}), keeps the event on the
 * notice ledger row or apology claim its tags name (SES's message id as the check), and
 * settles that email if its send was in doubt.
 *
 * Every step is idempotent and order-safe, so SES's at-least-once, unordered delivery is
 * harmless: a repeat changes nothing, a late `Send` never undoes a `Delivery`. A step that
 * fails throws, and the whole event is tried again.
 *
 * @example
 * const result = await processSesEvent(event, pipeline); // { eventType: 'Bounce', suppressed: 1, recording: 'recorded', ... }
 */
export async function processSesEvent(event: SesEvent, p: FeedbackPipeline): Promise<FeedbackResult> {
  const effects = suppressionEffects(event);
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

  const base = { eventType: event.eventType, sesMessageId: event.mail.messageId, suppressed, softBounces: effects.softBounces.length };
  const subject = mailSubjectFromTags(event.mail.tags);
  if (!subject) return { ...base, subject, recording: 'no-subject', settled: false };

  const record = mailEventRecord(event);
  const evidence = { type: event.eventType, messageId: event.mail.messageId, sentAt: event.mail.timestamp };
  const on = <K>(store: MailEventStore<K>, key: K) => ({
    record: () => store.record(key, event.eventType, record),
    settle: () => store.settleInDoubt(key, evidence),
  });
  const target =
    subject.kind === 'notice'
      ? on(p.notices, subject.noticeId)
      : on(p.apologies, { incidentId: subject.incidentId, addressHash: subject.addressHash });
  const { recording, settleable } = await target.record();
  // Settled on a repeat too: the first delivery may have died between the two writes. Not
  // asked when the item's email is settled already (SENT, FAILED…): nothing to settle.
  const settled = (recording === 'recorded' || recording === 'duplicate') && settleable ? await target.settle() : false;
  return { ...base, subject, recording, settled };
}
