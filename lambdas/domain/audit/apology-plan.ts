import type { Locale } from '../facts';
import { APOLOGY_REASONS, AuditReason, AuditVerdict } from './audit-reasons';

/** One audited row attached to an incident (no address in the clear: only its hash). */
export interface IncidentMember {
  readonly noticeId: string;
  readonly addressHash?: string;
  readonly verdict: string;
  readonly reason?: string;
  /** The language the notice was written in (a send log's `locale`, or the one we rendered). */
  readonly locale?: string;
}

/** Why an address in an incident gets no apology. */
export const SkipReason = {
  /** The address was also told rightly in this incident: an apology would confuse the owner. */
  RIGHTLY_NOTIFIED: 'RIGHTLY_NOTIFIED',
  /** Only duplicates, or nothing wrong at all. */
  NO_APOLOGY_REASON: 'NO_APOLOGY_REASON',
  OPTED_OUT: 'OPTED_OUT',
  SUPPRESSED: 'SUPPRESSED',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Every notice one address received in an incident, summed up. */
export interface AddressGroup {
  readonly addressHash: string;
  /** Wrong reasons of its notices, most serious first, each once. */
  readonly wrongReasons: readonly AuditReason[];
  readonly rightlyNotified: boolean;
  /** A notice of this address; its ledger row holds the address to write to. */
  readonly noticeId: string;
  /**
   * The language that notice was written in (else another of the address's notices'): the
   * apology's language for an address that is no customer of ours.
   */
  readonly noticeLocale?: string;
}

/** What we know about an address when deciding whether to write to it. */
export interface RecipientFacts {
  readonly suppressed: boolean;
  readonly optedOut: boolean;
  readonly locale: Locale;
}

/** One address's line in a campaign plan. */
export type PlannedRecipient =
  | {
      readonly addressHash: string;
      readonly decision: 'APOLOGISE';
      readonly reason: AuditReason;
      readonly locale: Locale;
      readonly noticeId: string;
    }
  | { readonly addressHash: string; readonly decision: 'SKIP'; readonly skip: SkipReason; readonly noticeId: string };

// Order of seriousness: the reason an address is counted under in a report.
const REASON_ORDER: readonly AuditReason[] = [
  AuditReason.NOT_A_PARTICIPANT,
  AuditReason.REGISTRY_NOT_FOUND,
  AuditReason.NOT_THE_OWNER,
  AuditReason.REGISTRY_CLOSED,
  AuditReason.NOTIFICATIONS_OFF,
  AuditReason.ITEM_NOT_ON_REGISTRY,
  AuditReason.DUPLICATE,
];

/**
 * Groups an incident's rows by address hash. Rows without an address are left out
 * (there is nobody to write to).
 */
export function groupByAddress(members: Iterable<IncidentMember>): AddressGroup[] {
  const groups = new Map<string, { reasons: Set<AuditReason>; right: boolean; noticeId: string; locale?: string }>();
  for (const m of members) {
    if (!m.addressHash) continue;
    const g = groups.get(m.addressHash) ?? { reasons: new Set<AuditReason>(), right: false, noticeId: m.noticeId, locale: m.locale };
    if (m.verdict === AuditVerdict.OK) g.right = true;
    if (m.verdict === AuditVerdict.WRONG && isAuditReason(m.reason)) {
      // The row to read the address from: prefer a wrong one, and speak its language.
      if (g.reasons.size === 0) {
        g.noticeId = m.noticeId;
        g.locale = m.locale ?? g.locale;
      }
      g.reasons.add(m.reason);
    }
    g.locale ??= m.locale;
    groups.set(m.addressHash, g);
  }
  return [...groups.entries()]
    .map(([addressHash, g]) => ({
      addressHash,
      wrongReasons: REASON_ORDER.filter((r) => g.reasons.has(r)),
      rightlyNotified: g.right,
      noticeId: g.noticeId,
      noticeLocale: g.locale,
    }))
    .sort((a, b) => (a.addressHash < b.addressHash ? -1 : a.addressHash > b.addressHash ? 1 : 0));
}

/**
 * Whether one address gets an apology. Never when any notice to it in the incident was
 * right, when none of its notices has an apology reason, or when it opted out or is
 * suppressed. Pure: the recipient facts are loaded by the caller.
 *
 * @example
 * decideRecipient(group, { suppressed: false, optedOut: false, locale: 'de' })
 * // { decision: 'APOLOGISE', reason: 'NOT_A_PARTICIPANT', locale: 'de', ... }
 */
export function decideRecipient(group: AddressGroup, facts: RecipientFacts | undefined): PlannedRecipient {
  const base = { addressHash: group.addressHash, noticeId: group.noticeId };
  const skip = (reason: SkipReason): PlannedRecipient => ({ ...base, decision: 'SKIP', skip: reason });
  if (group.rightlyNotified) return skip(SkipReason.RIGHTLY_NOTIFIED);
  const reason = group.wrongReasons.find((r) => APOLOGY_REASONS.has(r));
  if (!reason || !facts) return skip(SkipReason.NO_APOLOGY_REASON);
  if (facts.suppressed) return skip(SkipReason.SUPPRESSED);
  if (facts.optedOut) return skip(SkipReason.OPTED_OUT);
  return { ...base, decision: 'APOLOGISE', reason, locale: facts.locale };
}

/** Whether an address needs its recipient facts loaded at all (skips that need no lookup save reads). */
export function needsRecipientFacts(group: AddressGroup): boolean {
  return !group.rightlyNotified && group.wrongReasons.some((r) => APOLOGY_REASONS.has(r));
}

/** A campaign plan's counts: what a dry run reports and the real run must match. */
export interface PlanSummary {
  /** Wrong notices in the incident, by audit reason. */
  readonly wrongNotices: Readonly<Record<string, number>>;
  /** Addresses that get an apology. */
  readonly toApologise: number;
  /** Addresses that get one, by their most serious reason. */
  readonly toApologiseByReason: Readonly<Record<string, number>>;
  /** Addresses that get none, by why not. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Rows attached to the incident. */
  readonly rows: number;
}

/**
 * Counts a plan for reports.
 *
 * @example
 * summarizePlan(members, recipients).toApologise // 3
 */
export function summarizePlan(members: readonly IncidentMember[], recipients: readonly PlannedRecipient[]): PlanSummary {
  const wrongNotices: Record<string, number> = {};
  for (const m of members) if (m.verdict === AuditVerdict.WRONG && m.reason) wrongNotices[m.reason] = (wrongNotices[m.reason] ?? 0) + 1;
  const byReason: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  let toApologise = 0;
  for (const r of recipients) {
    if (r.decision === 'APOLOGISE') {
      toApologise += 1;
      byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    } else {
      skipped[r.skip] = (skipped[r.skip] ?? 0) + 1;
    }
  }
  return { wrongNotices, toApologise, toApologiseByReason: byReason, skipped, rows: members.length };
}

function isAuditReason(value: string | undefined): value is AuditReason {
  return value !== undefined && (Object.values(AuditReason) as string[]).includes(value);
}
