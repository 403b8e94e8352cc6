import type { Locale } from '../../directory/facts';
import { APOLOGY_REASONS, AuditReason, AuditVerdict } from '../audit-reasons';

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
  /**
   * Every notice it would be apologised for here was apologised for by another incident's
   * campaign already, or is in another incident's plan (queued, planned, not settled): one
   * apology per notice, across incidents (docs/audit-and-apology.md, "One apology per notice").
   */
  ALREADY_APOLOGISED: 'ALREADY_APOLOGISED',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** A notice an apology would be for: wrong, with an apology reason. */
export interface WrongNotice {
  readonly noticeId: string;
  readonly reason: AuditReason;
}

/** Every notice one address received in an incident, summed up. */
export interface AddressGroup {
  readonly addressHash: string;
  /** Wrong reasons of its notices, most serious first, each once. */
  readonly wrongReasons: readonly AuditReason[];
  /** Its notices with an apology reason, by notice id: what an apology to it is for. */
  readonly wrongNotices: readonly WrongNotice[];
  /**
   * False when `wrongNotices` may lack some (an item folded before the list was kept, or a list
   * past its cap): the reasons of the unlisted ones still count, as if no other incident held them.
   */
  readonly wrongNoticesComplete: boolean;
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
 * What the rows of one address say so far, in a form that merges page after page: the plan
 * is built a page of rows at a time (never the whole incident in memory), one keyed item per
 * address in the store, and merging two folds in row order gives what one fold of all the
 * rows gives.
 */
export interface AddressFold {
  readonly addressHash: string;
  readonly reasons: readonly AuditReason[];
  readonly rightlyNotified: boolean;
  /** The first row with a wrong verdict (its address is the one written to, in its language). */
  readonly firstWrong?: { readonly noticeId: string; readonly locale?: string };
  /** The first row of the address. */
  readonly firstNoticeId: string;
  /** The first language any of its rows names. */
  readonly firstLocale?: string;
  /** Its rows that are wrong with an apology reason (the store keeps them in a set). */
  readonly wrongNotices: readonly WrongNotice[];
  /** False when the store could not list every one of them (see {@link AddressGroup}). */
  readonly wrongNoticesComplete: boolean;
}

/**
 * Folds rows (in key order) by address hash, in order of first appearance. Rows without an
 * address are left out (there is nobody to write to).
 *
 * @example
 * foldMembers(page).length // distinct addresses on the page
 */
export function foldMembers(members: Iterable<IncidentMember>): AddressFold[] {
  const folds = new Map<string, AddressFold>();
  for (const m of members) {
    if (!m.addressHash) continue;
    const wrong = m.verdict === AuditVerdict.WRONG && isAuditReason(m.reason);
    const one: AddressFold = {
      addressHash: m.addressHash,
      reasons: m.verdict === AuditVerdict.WRONG && isAuditReason(m.reason) ? [m.reason] : [],
      rightlyNotified: m.verdict === AuditVerdict.OK,
      ...(m.verdict === AuditVerdict.WRONG && isAuditReason(m.reason) ? { firstWrong: { noticeId: m.noticeId, ...(m.locale ? { locale: m.locale } : {}) } } : {}),
      firstNoticeId: m.noticeId,
      ...(m.locale ? { firstLocale: m.locale } : {}),
      wrongNotices: wrong && APOLOGY_REASONS.has(m.reason as AuditReason) ? [{ noticeId: m.noticeId, reason: m.reason as AuditReason }] : [],
      wrongNoticesComplete: true,
    };
    const earlier = folds.get(m.addressHash);
    folds.set(m.addressHash, earlier ? mergeFolds(earlier, one) : one);
  }
  return [...folds.values()];
}

/**
 * Two folds of one address, `earlier` from rows before `later`'s: what the store does with
 * conditional writes (`if_not_exists` keeps the first, `ADD` unites the reasons).
 */
export function mergeFolds(earlier: AddressFold, later: AddressFold): AddressFold {
  const firstWrong = earlier.firstWrong ?? later.firstWrong;
  const firstLocale = earlier.firstLocale ?? later.firstLocale;
  return {
    addressHash: earlier.addressHash,
    reasons: [...new Set([...earlier.reasons, ...later.reasons])],
    rightlyNotified: earlier.rightlyNotified || later.rightlyNotified,
    ...(firstWrong ? { firstWrong } : {}),
    firstNoticeId: earlier.firstNoticeId,
    ...(firstLocale ? { firstLocale } : {}),
    wrongNotices: [...earlier.wrongNotices, ...later.wrongNotices.filter((n) => !earlier.wrongNotices.some((e) => e.noticeId === n.noticeId))],
    wrongNoticesComplete: earlier.wrongNoticesComplete && later.wrongNoticesComplete,
  };
}

/** An address's group, as {@link decideRecipient} takes it, from its fold. */
export function groupOfFold(fold: AddressFold): AddressGroup {
  const reasons = new Set(fold.reasons);
  return {
    addressHash: fold.addressHash,
    wrongReasons: REASON_ORDER.filter((r) => reasons.has(r)),
    rightlyNotified: fold.rightlyNotified,
    // The row to read the address from: prefer a wrong one, and speak its language.
    noticeId: fold.firstWrong?.noticeId ?? fold.firstNoticeId,
    noticeLocale: fold.firstWrong?.locale ?? fold.firstLocale,
    // By id: the store's set comes in no order.
    wrongNotices: [...fold.wrongNotices].sort((a, b) => (a.noticeId < b.noticeId ? -1 : a.noticeId > b.noticeId ? 1 : 0)),
    wrongNoticesComplete: fold.wrongNoticesComplete,
  };
}

/**
 * Groups an incident's rows by address hash, sorted by hash. Rows without an address are
 * left out (there is nobody to write to).
 */
export function groupByAddress(members: Iterable<IncidentMember>): AddressGroup[] {
  return foldMembers(members)
    .map(groupOfFold)
    .sort((a, b) => (a.addressHash < b.addressHash ? -1 : a.addressHash > b.addressHash ? 1 : 0));
}

/** Notices of this incident that another incident apologised for, or holds in its plan: notice id → that incident. */
export type HeldElsewhere = ReadonlyMap<string, string>;

const NONE_HELD: HeldElsewhere = new Map();

/**
 * Whether one address gets an apology. Never when any notice to it in the incident was
 * right, when none of its notices has an apology reason, when every notice it would be for
 * was apologised for by another incident already (`heldElsewhere`), or when it opted out or is
 * suppressed. Pure: the recipient facts and the other incidents' notices are loaded by the caller.
 *
 * @example
 * decideRecipient(group, { suppressed: false, optedOut: false, locale: 'de' })
 * // { decision: 'APOLOGISE', reason: 'NOT_A_PARTICIPANT', locale: 'de', ... }
 */
export function decideRecipient(group: AddressGroup, facts: RecipientFacts | undefined, heldElsewhere: HeldElsewhere = NONE_HELD): PlannedRecipient {
  const base = { addressHash: group.addressHash, noticeId: group.noticeId };
  const skip = (reason: SkipReason): PlannedRecipient => ({ ...base, decision: 'SKIP', skip: reason });
  if (group.rightlyNotified) return skip(SkipReason.RIGHTLY_NOTIFIED);
  const reason = openReason(group, heldElsewhere);
  if (!reason) return skip(group.wrongReasons.some((r) => APOLOGY_REASONS.has(r)) ? SkipReason.ALREADY_APOLOGISED : SkipReason.NO_APOLOGY_REASON);
  if (!facts) return skip(SkipReason.NO_APOLOGY_REASON);
  if (facts.suppressed) return skip(SkipReason.SUPPRESSED);
  if (facts.optedOut) return skip(SkipReason.OPTED_OUT);
  return { ...base, decision: 'APOLOGISE', reason, locale: facts.locale };
}

/** Whether an address needs its recipient facts loaded at all (skips that need no lookup save reads). */
export function needsRecipientFacts(group: AddressGroup, heldElsewhere: HeldElsewhere = NONE_HELD): boolean {
  return !group.rightlyNotified && openReason(group, heldElsewhere) !== undefined;
}

/** The notices an apology to this address is for: its wrong notices no other incident holds (their markers are claimed). */
export function noticesToClaim(group: AddressGroup, heldElsewhere: HeldElsewhere = NONE_HELD): string[] {
  return group.wrongNotices.filter((n) => !heldElsewhere.has(n.noticeId)).map((n) => n.noticeId);
}

// The most serious apology reason among the notices not held elsewhere (all of the fold's
// reasons when its list is incomplete: an unlisted notice cannot be told held).
function openReason(group: AddressGroup, heldElsewhere: HeldElsewhere): AuditReason | undefined {
  const open = new Set(group.wrongNotices.filter((n) => !heldElsewhere.has(n.noticeId)).map((n) => n.reason));
  if (!group.wrongNoticesComplete) for (const r of group.wrongReasons) open.add(r);
  return REASON_ORDER.find((r) => open.has(r) && APOLOGY_REASONS.has(r));
}

/** A campaign plan's counts: what a dry run reports and the real run must match. */
export interface PlanSummary {
  /** Wrong notices in the incident, by audit reason. */
  readonly wrongNotices: Readonly<Record<string, number>>;
  /** Addresses that get an apology. */
  readonly toApologise: number;
  /** Addresses that get one, by their most serious reason. */
  readonly toApologiseByReason: Readonly<Record<string, number>>;
  /**
   * Of those, addresses only an import names that we never mailed and the shop never told us
   * of (campaign/strangers.ts): any makes the campaign wait for a second person. Absent: none.
   */
  readonly strangers?: number;
  /** Why the finished plan waits for approval (`ApprovalNeed`, campaign/approval-need.ts); absent when it needed none. */
  readonly approvalNeeded?: readonly string[];
  /** Addresses that get none, by why not. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Rows attached to the incident. */
  readonly rows: number;
  /**
   * Wrong notices of this incident no apology here is for, because another incident's campaign
   * apologised for them already or holds them in its plan, by that incident (absent when none).
   */
  readonly alreadyApologisedIn?: Readonly<Record<string, number>>;
}

/** A plan's counts while it is being made, page by page (saved with the cursor, so a resumed plan counts each row once). */
export interface PlanCounts {
  wrongNotices: Record<string, number>;
  toApologise: number;
  toApologiseByReason: Record<string, number>;
  /** See {@link PlanSummary}. */
  strangers?: number;
  skipped: Record<string, number>;
  rows: number;
  alreadyApologisedIn?: Record<string, number>;
}

/** Counts with nothing counted yet. */
export function emptyPlanCounts(): PlanCounts {
  return { wrongNotices: {}, toApologise: 0, toApologiseByReason: {}, skipped: {}, rows: 0 };
}

/** Adds a page of rows to the counts. */
export function countMembers(counts: PlanCounts, members: readonly IncidentMember[]): PlanCounts {
  for (const m of members) if (m.verdict === AuditVerdict.WRONG && m.reason) counts.wrongNotices[m.reason] = (counts.wrongNotices[m.reason] ?? 0) + 1;
  counts.rows += members.length;
  return counts;
}

/** Adds a page of decided recipients to the counts. */
export function countRecipients(counts: PlanCounts, recipients: readonly PlannedRecipient[]): PlanCounts {
  for (const r of recipients) {
    if (r.decision === 'APOLOGISE') {
      counts.toApologise += 1;
      counts.toApologiseByReason[r.reason] = (counts.toApologiseByReason[r.reason] ?? 0) + 1;
    } else {
      counts.skipped[r.skip] = (counts.skipped[r.skip] ?? 0) + 1;
    }
  }
  return counts;
}

/** Adds the notices of a page that other incidents hold (each notice once: a page's addresses are distinct). */
export function countHeldElsewhere(counts: PlanCounts, groups: readonly AddressGroup[], heldElsewhere: HeldElsewhere): PlanCounts {
  for (const g of groups) {
    for (const n of g.wrongNotices) {
      const holder = heldElsewhere.get(n.noticeId);
      if (holder === undefined) continue;
      counts.alreadyApologisedIn ??= {};
      counts.alreadyApologisedIn[holder] = (counts.alreadyApologisedIn[holder] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Counts a plan for reports.
 *
 * @example
 * summarizePlan(members, recipients).toApologise // 3
 */
export function summarizePlan(members: readonly IncidentMember[], recipients: readonly PlannedRecipient[]): PlanSummary {
  return countRecipients(countMembers(emptyPlanCounts(), members), recipients);
}

function isAuditReason(value: string | undefined): value is AuditReason {
  return value !== undefined && (Object.values(AuditReason) as string[]).includes(value);
}
