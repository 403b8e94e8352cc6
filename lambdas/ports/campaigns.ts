import type { PlanSummary, PlannedRecipient } from '../domain/audit/apology-plan';

/** Where a campaign is in its life. */
export const CampaignState = {
  /** Planned, larger than the approval threshold: waits for an operator. */
  AWAITING_APPROVAL: 'AWAITING_APPROVAL',
  /** May send (approved by an operator, or small enough to need no approval). */
  APPROVED: 'APPROVED',
  /** Every planned recipient was handled. */
  COMPLETE: 'COMPLETE',
} as const;
export type CampaignState = (typeof CampaignState)[keyof typeof CampaignState];

/** The approval record: who let a campaign of what size go, and when. */
export interface Approval {
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly approvedSize: number;
}

/** One apology campaign; there is at most one per incident. */
export interface Campaign {
  readonly incidentId: string;
  readonly state: CampaignState;
  readonly plannedAt: string;
  readonly summary: PlanSummary;
  readonly approval?: Approval;
  /** Sort key of the last recipient handled, where the next run resumes. */
  readonly cursor?: string;
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

/** A page of planned recipients, in key order. */
export interface RecipientPage {
  readonly recipients: readonly (PlannedRecipient & { readonly key: string })[];
  readonly cursor?: string;
}

/** Campaign plans, approvals and the per-recipient claims that make each apology go at most once. */
export interface CampaignStore {
  get(incidentId: string): Promise<Campaign | undefined>;
  /**
   * Stores a plan, replacing an earlier one only while the campaign has not been approved.
   * @throws CampaignFrozenError once it has.
   */
  savePlan(incidentId: string, recipients: readonly PlannedRecipient[], summary: PlanSummary, state: CampaignState, plannedAt: string, approval?: Approval): Promise<void>;
  /** Approves the plan the operator saw (`plannedAt`). @throws ApprovalConflictError otherwise. */
  approve(incidentId: string, plannedAt: string, approval: Approval): Promise<void>;
  recipients(incidentId: string, after: string | undefined, limit: number): Promise<RecipientPage>;
  saveCursor(incidentId: string, cursor: string): Promise<void>;
  complete(incidentId: string, at: string): Promise<void>;
  /** The claim, BEFORE sending: a conditional write on (incidentId, addressHash). */
  claim(incidentId: string, addressHash: string, runId: string, at: string): Promise<'claimed' | 'taken'>;
  /** Settles a claim. `release` deletes it (SES certainly took nothing), the rest keep it forever. */
  settle(
    incidentId: string,
    addressHash: string,
    outcome: { readonly state: ApologyState; readonly sesMessageId?: string; readonly reason?: string },
    at: string,
  ): Promise<void>;
  release(incidentId: string, addressHash: string, runId: string): Promise<void>;
  /** Claims by state, for status reports. */
  claimCounts(incidentId: string): Promise<Record<string, number>>;
}
