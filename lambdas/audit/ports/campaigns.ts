import type { AddressFold, PlanCounts, PlanSummary, PlannedRecipient } from '../campaign/apology-plan';
import type { Resend } from '../../notices/ledger-entry';
import type { MailEvents } from '../../mail/mail-fate';

/** Where a campaign is in its life. */
export const CampaignState = {
  /** Its plan is being made, page by page; nobody can approve it yet. */
  PLANNING: 'PLANNING',
  /** Planned, larger than the approval threshold: waits for an operator. */
  AWAITING_APPROVAL: 'AWAITING_APPROVAL',
  /** May send (approved by an operator, or small enough to need no approval): its recipients are enqueued and sent. */
  APPROVED: 'APPROVED',
  /** Every planned recipient was handled (its claim settled). */
  COMPLETE: 'COMPLETE',
} as const;
export type CampaignState = (typeof CampaignState)[keyof typeof CampaignState];

/** The approval record: who let a campaign of what size go, and when. */
export interface Approval {
  readonly approvedBy: string;
  /** The person who approved (`<account>/<name>`, lambdas/audit/person.ts); absent on automatic approvals and older records. */
  readonly approverPerson?: string;
  readonly approvedAt: string;
  readonly approvedSize: number;
}

/** How far a plan has got: first every row folded into its address's item, then every address decided. */
export interface PlanProgress {
  readonly phase: 'ROWS' | 'DECIDE' | 'DONE';
  /** Pages done so far; a save names the page it follows, so two planners never both count one. */
  readonly page: number;
  /** Sort key of the last row (ROWS) or address item (DECIDE) handled. */
  readonly cursor?: string;
  /** Rows folded so far, and the incident's rows as its sweep counted them (a progress bar's total). */
  readonly rowsRead: number;
  readonly rowsTotal: number;
  /** Distinct addresses found (ROWS) and decided (DECIDE). */
  readonly addresses: number;
  readonly addressesDecided: number;
  /** The summary so far, saved with the cursor. */
  readonly counts: PlanCounts;
}

/** How far the approved recipients have been put on the apology queue. */
export interface EnqueueProgress {
  readonly cursor?: string;
  readonly enqueued: number;
  readonly done: boolean;
}

/** One apology campaign; there is at most one per incident. */
export interface Campaign {
  readonly incidentId: string;
  readonly state: CampaignState;
  /** When this plan was started: it names the plan (an approval pins it). */
  readonly plannedAt: string;
  /** The plan's counts; while PLANNING, the counts so far. */
  readonly summary: PlanSummary;
  readonly planning?: PlanProgress;
  readonly approval?: Approval;
  readonly enqueue?: EnqueueProgress;
  readonly completedAt?: string;
}

/** What became of one apology; its claim item holds it. */
export const ApologyState = {
  SENDING: 'SENDING',
  SENT: 'SENT',
  FAILED: 'FAILED',
  UNCERTAIN: 'UNCERTAIN',
  /** Found opted out, suppressed or without a row at send time; never sent. */
  SKIPPED: 'SKIPPED',
} as const;
export type ApologyState = (typeof ApologyState)[keyof typeof ApologyState];

/** A claim as stored. */
export interface ApologyClaim {
  readonly state: ApologyState;
  readonly runId: string;
  readonly claimedAt: string;
  /** Why it settled as it did (`SENDER_DIED`, `OUTCOME_UNKNOWN`, `SES_…`, a skip reason). */
  readonly reason?: string;
  /** What SES reported about its email (the feedback function keeps them). */
  readonly sesEvents?: MailEvents;
  /** An operator's one re-send of an apology in doubt (`notice resolve`), and how it went. */
  readonly resend?: Resend;
}

/** What a claim found: the address is ours now, or the claim already there (absent if it went meanwhile). */
export type ClaimAttempt = { readonly claimed: true } | { readonly claimed: false; readonly existing: ApologyClaim | undefined };

/** A page of planned recipients, in key order. */
export interface RecipientPage {
  readonly recipients: readonly (PlannedRecipient & { readonly key: string })[];
  readonly cursor?: string;
}

/** A page of address items of the plan being made (the fold of their rows so far). */
export interface AddressPage {
  readonly addresses: readonly (AddressFold & { readonly key: string; readonly planId: string })[];
  readonly cursor?: string;
}

/** A settled apology's outcome. */
export interface ApologyOutcome {
  readonly state: Exclude<ApologyState, 'SENDING'>;
  readonly sesMessageId?: string;
  readonly reason?: string;
  /** When the SES call started (ms precision): the send log the rate bound is checked against. */
  readonly sendStartedAt?: string;
  /** The claim is an operator's re-send (`claimResend`): its `resend` record is settled too. */
  readonly resent?: boolean;
}

/** Campaign plans, approvals, the per-recipient claims that make each apology go at most once, and their counters. */
export interface CampaignStore {
  get(incidentId: string): Promise<Campaign | undefined>;
  /**
   * Starts a new plan (`plannedAt` names it), replacing a finished one that waits for approval.
   * @throws CampaignFrozenError once the campaign is approved.
   */
  startPlan(incidentId: string, plannedAt: string, rowsTotal: number): Promise<void>;
  /** Folds a page of rows into the plan's address items; returns how many addresses the page made new. */
  foldAddresses(incidentId: string, plannedAt: string, page: number, folds: readonly AddressFold[]): Promise<number>;
  /** The address items in key order, whatever plan made them (a stale one is the caller's to drop). */
  addresses(incidentId: string, after: string | undefined, limit: number): Promise<AddressPage>;
  /** Writes a page of decisions onto their address items, and deletes items of older plans. */
  decide(incidentId: string, plannedAt: string, recipients: readonly PlannedRecipient[], stale: readonly string[]): Promise<void>;
  /** Saves the plan's progress after page `progress.page - 1`; false when another planner saved it first or a new plan started. */
  savePlanProgress(incidentId: string, plannedAt: string, progress: PlanProgress): Promise<boolean>;
  /** Ends planning: the plan's state (AWAITING_APPROVAL or APPROVED), summary and, when small, its approval. */
  finishPlan(incidentId: string, plannedAt: string, summary: PlanSummary, state: CampaignState, approval?: Approval): Promise<boolean>;
  /** Approves the plan the operator saw (`plannedAt`). @throws ApprovalConflictError otherwise. */
  approve(incidentId: string, plannedAt: string, approval: Approval): Promise<void>;
  /** The decided recipients in key order. */
  recipients(incidentId: string, after: string | undefined, limit: number): Promise<RecipientPage>;
  /** Saves enqueue progress, only forward (conditional on the count it started from). */
  saveEnqueue(incidentId: string, from: EnqueueProgress | undefined, to: EnqueueProgress): Promise<boolean>;
  /** Marks the campaign complete (only from APPROVED). */
  complete(incidentId: string, at: string): Promise<void>;
  /**
   * The claim, BEFORE sending: a conditional write on (incidentId, addressHash). When the
   * address is claimed already, the claim that holds it comes back from the same write.
   */
  claim(incidentId: string, addressHash: string, runId: string, at: string): Promise<ClaimAttempt>;
  /** The claim as stored, if any. */
  claimOf(incidentId: string, addressHash: string): Promise<ApologyClaim | undefined>;
  /**
   * Settles a claim still SENDING (by `runId` when given) and counts it, in one transaction:
   * every address is counted once, whatever retries. False when it was settled already.
   */
  settle(incidentId: string, addressHash: string, outcome: ApologyOutcome, at: string, runId?: string): Promise<boolean>;
  /** Deletes a claim this run made (SES certainly took nothing), so the address can be sent later. */
  release(incidentId: string, addressHash: string, runId: string): Promise<void>;
  /** Settled apologies by state, from the counters (not the claims). */
  claimCounts(incidentId: string): Promise<Record<string, number>>;
}

/** What the apology sender writes besides: the claims of an operator's approved re-send. */
export interface ApologySendStore extends CampaignStore {
  /**
   * Claims an operator's approved re-send of an apology in doubt, BEFORE sending: `UNCERTAIN`
   * with `resend.state APPROVED` and no SES event becomes `SENDING` for `runId` (its count
   * leaves `UNCERTAIN`; the settle counts it again), in one conditional transaction, so however
   * often the message comes, one re-send goes. `taken` when that does not hold (any more).
   */
  claimResend(incidentId: string, addressHash: string, runId: string, at: string): Promise<'claimed' | 'taken'>;
  /** Gives a re-send claim back (SES certainly took nothing): `UNCERTAIN` again, its re-send still `APPROVED`. */
  releaseResend(incidentId: string, addressHash: string, runId: string): Promise<void>;
}
