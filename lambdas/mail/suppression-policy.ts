import { addressHash } from '../directory/address-hash';
import { SesEventType, type SesEvent } from './ses-event';

/** Why an address is on our suppression list (`reason` of a suppression item). */
export const SuppressionReason = {
  BOUNCE: 'BOUNCE',
  COMPLAINT: 'COMPLAINT',
  UNSUBSCRIBED: 'UNSUBSCRIBED',
  MANUAL: 'MANUAL',
} as const;
export type SuppressionReason = (typeof SuppressionReason)[keyof typeof SuppressionReason];

/**
 * When soft bounces (SES bounce type `Transient` or `Undetermined`: a full mailbox, a
 * message too large, a server that said "try later" until SES gave up) suppress an
 * address: `limit` of them, from different emails, within `windowDays`. One soft bounce is
 * weather; three in a week is an address that no longer takes mail, and mailing it on
 * costs sender reputation as a hard bounce does.
 */
export interface SoftBouncePolicy {
  readonly limit: number;
  readonly windowDays: number;
}

/** The default policy: 3 soft bounces within 7 days suppress the address. */
export const DEFAULT_SOFT_BOUNCE_POLICY: SoftBouncePolicy = { limit: 3, windowDays: 7 };

/** An address to put on the suppression list, by hash, and why. */
export interface SuppressionToWrite {
  readonly addressHash: string;
  readonly reason: SuppressionReason;
  /** When SES says it happened. */
  readonly at: string;
  readonly sesMessageId: string;
  /** Non-personal detail: bounce type and subtype, complaint feedback type. */
  readonly detail: Readonly<Record<string, string>>;
}

/** What an SES event asks of the suppression list. */
export interface SuppressionEffects {
  /** Addresses to suppress now (permanent bounces, complaints). */
  readonly suppress: readonly SuppressionToWrite[];
  /** Addresses whose soft bounce is counted against {@link SoftBouncePolicy}. */
  readonly softBounces: readonly SuppressionToWrite[];
}

/**
 * What an SES event means for the suppression list: a permanent bounce (including SES's
 * own "on the suppression list" bounces) and a complaint suppress each recipient they
 * name; a transient or undetermined bounce is counted. Other events change nothing.
 *
 * @example
 * suppressionEffects(permanentBounce).suppress // [{ addressHash: '…', reason: 'BOUNCE', detail: { bounceType: 'Permanent', bounceSubType: 'General' }, … }]
 */
export function suppressionEffects(event: SesEvent): SuppressionEffects {
  const sesMessageId = event.mail.messageId;
  if (event.eventType === SesEventType.BOUNCE) {
    const { bounceType, bounceSubType, bouncedRecipients, timestamp } = event.bounce;
    const writes = unique(bouncedRecipients.map((r) => r.emailAddress)).map((address) => ({
      addressHash: addressHash(address),
      reason: SuppressionReason.BOUNCE,
      at: timestamp,
      sesMessageId,
      detail: { bounceType, bounceSubType },
    }));
    return bounceType === 'Permanent' ? { suppress: writes, softBounces: [] } : { suppress: [], softBounces: writes };
  }
  if (event.eventType === SesEventType.COMPLAINT) {
    const { complainedRecipients, timestamp, complaintFeedbackType } = event.complaint;
    const detail: Record<string, string> = complaintFeedbackType ? { complaintFeedbackType } : {};
    const suppress = unique(complainedRecipients.map((r) => r.emailAddress)).map((address) => ({
      addressHash: addressHash(address),
      reason: SuppressionReason.COMPLAINT,
      at: timestamp,
      sesMessageId,
      detail,
    }));
    return { suppress, softBounces: [] };
  }
  return { suppress: [], softBounces: [] };
}

/**
 * Whether the soft bounces seen for an address (their times, one per email) now suppress
 * it under `policy`, counting those within `windowDays` of `now`.
 *
 * @example
 * softBouncesSuppress(['2026-11-20T…', '2026-11-22T…', '2026-11-24T…'], new Date('2026-11-25'), DEFAULT_SOFT_BOUNCE_POLICY) // true
 */
export function softBouncesSuppress(bouncedAt: readonly string[], now: Date, policy: SoftBouncePolicy): boolean {
  return recentSoftBounces(bouncedAt, now, policy.windowDays).length >= policy.limit;
}

/** The soft bounce times within the last `windowDays` (older ones no longer count). */
export function recentSoftBounces(bouncedAt: readonly string[], now: Date, windowDays: number): string[] {
  const since = now.getTime() - windowDays * 86_400_000;
  return bouncedAt.filter((at) => Date.parse(at) >= since);
}

function unique(addresses: readonly string[]): string[] {
  return [...new Map(addresses.map((a) => [a.trim().toLowerCase(), a])).values()];
}
