import type { MailEventRecord } from '../mail-fate';
import type { SesEventType } from '../ses-event';
import type { SuppressionToWrite } from '../suppression-policy';

/** What keeping an SES event on the item of the email it is about came to. */
export type EventRecording =
  /** Kept. */
  | 'recorded'
  /** An event of that type was kept already (SES publishes at least once): nothing changed. */
  | 'duplicate'
  /** No such item (a notice this stack never claimed, or one gone with its retention). */
  | 'not-found'
  /** The item's email has another SES message id: the event is about a different email; not kept. */
  | 'other-message'
  /** The item has no SES message id and sends nothing (BLOCKED, FAILED, resolved): no email of ours the event can be about; not kept. */
  | 'unknown-message'
  /** The event names a recipient the item's email was not sent to: not kept. */
  | 'foreign-recipient';

/** What keeping an event came to, and whether the item's email may still be settled by it (in doubt, or not settled yet). */
export interface RecordedMailEvent {
  readonly recording: EventRecording;
  readonly settleable: boolean;
}

/**
 * The items SES events are kept on, by key: notice ledger rows (`noticeId`) or apology
 * claims (incident + address hash). Both writes are idempotent and order-safe.
 */
export interface MailEventStore<Key> {
  /**
   * Keeps the first event of its type on the item, if the event is about the item's own email:
   * the item's SES message id is the event's (or the item has none yet and its email is still
   * open: sending, or in doubt) and `recipientHash` (the one address the event names) is the
   * hash of the item's recipient. Says too whether the item's email is still open, so a
   * settled one is not asked to settle again.
   */
  record(key: Key, type: SesEventType, event: MailEventRecord, recipientHash: string): Promise<RecordedMailEvent>;
  /**
   * Settles an email in doubt (`UNCERTAIN`) by an event about it: sent (with the event's
   * message id), or not sent for a Reject. `false` when the item was not in doubt (any more).
   */
  settleInDoubt(key: Key, evidence: InDoubtEvidence): Promise<boolean>;
}

/** What an SES event tells about an email whose send was in doubt. */
export interface InDoubtEvidence {
  readonly type: SesEventType;
  readonly messageId: string;
  /** When SES took the email (the event's `mail.timestamp`). */
  readonly sentAt: string;
  /** The hash of the one address the event names: only the item's own recipient settles it. */
  readonly recipientHash: string;
}

/** The key of an apology claim. */
export interface ApologyKey {
  readonly incidentId: string;
  readonly addressHash: string;
}

/** The suppression list, written from SES events. */
export interface SuppressionRegister {
  /** Suppresses an address unless it is already: the first reason stays. */
  suppress(write: SuppressionToWrite): Promise<'suppressed' | 'already'>;
  /**
   * Counts a soft bounce of an address (once per SES message) and returns the times of
   * those within the last `windowDays`, this one included.
   */
  addSoftBounce(write: SuppressionToWrite, windowDays: number): Promise<readonly string[]>;
}
