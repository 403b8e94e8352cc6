import type { SesEvent } from './ses-event';
import { SesEventType } from './ses-event-type';

/**
 * One SES event as kept on a ledger row or an apology claim (`sesEvents.<eventType>`):
 * when SES says it happened, for which SES message, and its non-personal details. The
 * first of each type is kept; repeats (SES publishes at least once) change nothing.
 */
export interface MailEventRecord {
  /** When it happened, by SES (the bounce's, the delivery's, ... timestamp; the send's is the mail's). */
  readonly at: string;
  /** SES's message id, the check that the event is about the email the row sent. */
  readonly messageId: string;
  /** E.g. `bounceType`, `bounceSubType`, `status`, `complaintFeedbackType`, `reason`, `delayType`. */
  readonly detail?: Readonly<Record<string, string>>;
}

/** The SES events seen for one email, by type. */
export type MailEvents = Partial<Readonly<Record<SesEventType, MailEventRecord>>>;

/** What became of an email after SES took it, as far as its events tell. */
export const MailFate = {
  /** No event yet. */
  UNKNOWN: 'UNKNOWN',
  /** SES took it (`Send`), nothing since. */
  ACCEPTED: 'ACCEPTED',
  /** The receiving server has not taken it yet; SES keeps trying. */
  DELAYED: 'DELAYED',
  DELIVERED: 'DELIVERED',
  BOUNCED: 'BOUNCED',
  /** Delivered, then reported as spam by the recipient. */
  COMPLAINED: 'COMPLAINED',
  /** SES took it, then refused to send it (virus scan). */
  REJECTED: 'REJECTED',
} as const;
export type MailFate = (typeof MailFate)[keyof typeof MailFate];

// Later in an email's life wins whatever order the events came in, so a Send that
// arrives after the Delivery never turns "delivered" back into "accepted".
const FATE_BY_PRECEDENCE: readonly [SesEventType, MailFate][] = [
  [SesEventType.COMPLAINT, MailFate.COMPLAINED],
  [SesEventType.BOUNCE, MailFate.BOUNCED],
  [SesEventType.REJECT, MailFate.REJECTED],
  [SesEventType.DELIVERY, MailFate.DELIVERED],
  [SesEventType.DELIVERY_DELAY, MailFate.DELAYED],
  [SesEventType.SEND, MailFate.ACCEPTED],
];

/**
 * The email's fate from the events seen, whatever order they arrived in.
 *
 * @example
 * mailFate({ Delivery: d, Send: s }) // 'DELIVERED'
 * mailFate(undefined) // 'UNKNOWN'
 */
export function mailFate(events: MailEvents | undefined): MailFate {
  for (const [type, fate] of FATE_BY_PRECEDENCE) {
    if (events?.[type]) return fate;
  }
  return MailFate.UNKNOWN;
}

/**
 * What an event proves about an email whose send was in doubt: `SENT` (SES took it:
 * Send, Delivery, DeliveryDelay, Bounce and Complaint all come after that), `NOT_SENT`
 * (Reject: SES took it and did not send it).
 */
export function settlementOf(type: SesEventType): 'SENT' | 'NOT_SENT' {
  return type === SesEventType.REJECT ? 'NOT_SENT' : 'SENT';
}

/**
 * Proof from the events seen that SES took the email: its message id and when (the Send
 * event's time, else the earliest event's); `undefined` when no event proves it.
 *
 * @example
 * sentEvidence({ Delivery: { at: '2026-…T10:00:02Z', messageId: 'm-1' } }) // { messageId: 'm-1', sentAt: '2026-…T10:00:02Z' }
 */
export function sentEvidence(events: MailEvents | undefined): { messageId: string; sentAt: string } | undefined {
  const proving = Object.entries(events ?? {})
    .filter(([type, record]) => record !== undefined && settlementOf(type as SesEventType) === 'SENT')
    .map(([, record]) => record as MailEventRecord);
  if (proving.length === 0) return undefined;
  const send = events?.[SesEventType.SEND];
  const first = send ?? proving.reduce((a, b) => (Date.parse(b.at) < Date.parse(a.at) ? b : a));
  return { messageId: first.messageId, sentAt: first.at };
}

/**
 * The record of an event to keep on its row: the event's own time and its details,
 * without any address.
 *
 * @example
 * mailEventRecord(bounceEvent) // { at: '2026-…', messageId: '0100…', detail: { bounceType: 'Permanent', bounceSubType: 'General', status: '5.1.1' } }
 */
export function mailEventRecord(event: SesEvent): MailEventRecord {
  const base = { messageId: event.mail.messageId };
  switch (event.eventType) {
    case SesEventType.SEND:
      return { ...base, at: event.mail.timestamp };
    case SesEventType.DELIVERY:
      return { ...base, at: event.delivery.timestamp };
    case SesEventType.BOUNCE: {
      const status = event.bounce.bouncedRecipients.map((r) => r.status).find((s): s is string => typeof s === 'string');
      return {
        ...base,
        at: event.bounce.timestamp,
        detail: { bounceType: event.bounce.bounceType, bounceSubType: event.bounce.bounceSubType, ...(status ? { status } : {}) },
      };
    }
    case SesEventType.COMPLAINT: {
      const { complaintFeedbackType, complaintSubType } = event.complaint;
      return {
        ...base,
        at: event.complaint.timestamp,
        detail: {
          ...(complaintFeedbackType ? { complaintFeedbackType } : {}),
          ...(complaintSubType ? { complaintSubType } : {}),
        },
      };
    }
    case SesEventType.REJECT:
      return { ...base, at: event.mail.timestamp, detail: { reason: event.reject.reason } };
    case SesEventType.DELIVERY_DELAY:
      return {
        ...base,
        at: event.deliveryDelay.timestamp,
        detail: event.deliveryDelay.delayType ? { delayType: event.deliveryDelay.delayType } : {},
      };
  }
}
