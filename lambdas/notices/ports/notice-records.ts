import type { LedgerEntry } from '../ledger-entry';

/** A ledger row as an operator reads it: the decision, the send, SES's events, the audit's finding. */
export interface NoticeRecord extends LedgerEntry {
  /** When a claim became FAILED or UNCERTAIN. */
  readonly settledAt?: string;
  /** What settled a notice in doubt: `SES_EVENT` or `OPERATOR_RESEND`. */
  readonly settledBy?: string;
  /** `PENDING` while the audit has not judged it. */
  readonly auditState?: string;
  readonly auditVerdict?: string;
  readonly auditReason?: string;
  readonly auditedAt?: string;
  /** Set while the notice is in doubt (the `byDoubt` index). */
  readonly inDoubt?: string;
  /** The purchase message kept with a notice in doubt, for a re-send. */
  readonly purchaseMessage?: string;
  /** Message ids of SES events about other emails for this notice (a second email went). */
  readonly sesStrayMessageIds?: ReadonlySet<string>;
}

/** An operator's approval of a re-send. */
export interface ResendApproval {
  /** The caller's identity (IAM ARN through the operator endpoint). */
  readonly by: string;
  readonly at: string;
  /** Only notices in doubt since before this are approved (the settle window). */
  readonly inDoubtBefore: string;
}

/** The notice ledger as the operator commands read it. */
export interface NoticeRecords {
  get(noticeId: string): Promise<NoticeRecord | undefined>;
  /** Ids of every notice mailed to an address (the `byAddress` index), newest first. */
  noticeIdsTo(addressHash: string): Promise<string[]>;
  /** Every notice in doubt (the `byDoubt` index), longest in doubt first. */
  inDoubt(): Promise<NoticeRecord[]>;
  /**
   * Approves the one re-send of a notice in doubt: only if it is UNCERTAIN, has no SES
   * event, keeps its purchase message, has been in doubt since before `inDoubtBefore`, and
   * has no re-send yet. `false` when any of that does not hold.
   */
  approveResend(noticeId: string, approval: ResendApproval): Promise<boolean>;
}
