import type { MailEvents } from '../../mail/mail-fate';
import type { Resend } from '../../notices/ledger-entry';
import type { ResendApproval } from '../../notices/ports/notice-records';
import type { ApologyMessage } from '../apology-message';

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
