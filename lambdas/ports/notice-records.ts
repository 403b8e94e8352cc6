import type { ApologyMessage } from '../domain/apology/apology-message';
import type { LedgerEntry, Resend } from '../domain/ledger-entry';
import type { MailEvents } from '../domain/mail-fate';

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

/** An apology claim as an operator reads it. */
export interface ApologyRecord {
  readonly incidentId: string;
  readonly addressHash: string;
  /** `SENDING`, `SENT`, `FAILED`, `UNCERTAIN`, `SKIPPED`. */
  readonly state: string;
  readonly claimedAt?: string;
  readonly settledAt?: string;
  readonly sesMessageId?: string;
  readonly reason?: string;
  readonly sesEvents?: MailEvents;
  /** An operator's one re-send of it, once approved. */
  readonly resend?: Resend;
}

/** An apology claim's key: the incident and the address hash. */
export interface ApologyId {
  readonly incidentId: string;
  readonly addressHash: string;
}

/** What the audit found for one notice in one incident, and the apology for its address there. */
export interface NoticeInIncident {
  readonly incidentId: string;
  readonly description: string;
  /** The row's verdict in the incident (`WRONG`, `RIGHT`, ...) and why. */
  readonly verdict: string;
  readonly reason?: string;
  readonly apology?: ApologyRecord;
}

/** Incidents and apology claims, as the operator commands read them. */
export interface ApologyRecords {
  /** Every incident the notice is attached to, with the apology claim of `addressHash` there. */
  forNotice(noticeId: string, addressHash: string | undefined): Promise<NoticeInIncident[]>;
  /** Every apology in doubt (`UNCERTAIN`), across incidents. */
  inDoubt(): Promise<ApologyRecord[]>;
  /** One apology claim, if there is one. */
  get(id: ApologyId): Promise<ApologyRecord | undefined>;
  /** The apology the campaign planned for the address, as the apology queue carries it; `undefined` if none was planned. */
  plannedMessage(id: ApologyId): Promise<ApologyMessage | undefined>;
  /**
   * Approves the one re-send of an apology in doubt: only if its claim is UNCERTAIN, has no
   * SES event, has been in doubt since before `inDoubtBefore`, and has no re-send yet.
   * `false` when any of that does not hold.
   */
  approveResend(id: ApologyId, approval: ResendApproval): Promise<boolean>;
}
