import type { AddressDirectory } from '../mail/ports/address-directory';
import type { AuditLedger } from './ports/audit-ledger';
import type { AuditShardQueue } from './ports/audit-shard-queue';
import type { CampaignStore } from './ports/campaigns';
import type { CorrectionsCursor } from './ports/corrections-cursor';
import type { CustomerDirectory, RegistryDirectory, RegistryOwners } from '../directory/ports/directories';
import type { DirectoryHistory } from '../directory/ports/directory-history';
import type { FirstNoticeRegister } from './ports/first-notices';
import type { KillSwitch } from '../mail/ports/kill-switch';
import type { IncidentStore } from './ports/incidents';
import type { ApologyQueue } from './ports/apology-queue';
import type { ApologisedNotices } from './ports/apologised-notices';
import type { RunLease } from './ports/run-lease';
import type { SendQuota } from '../mail/ports/send-quota';
import type { AutoApprovals } from './ports/auto-approvals';
import type { PersonRoles } from './person';

/** What auditing rows needs: the ledger, our data, and where findings go. */
export interface AuditDeps {
  readonly ledger: AuditLedger;
  readonly registries: RegistryDirectory;
  /** Whether a customer owns any registry (`byOwner`): tells NOT_A_PARTICIPANT from NOT_THE_OWNER. */
  readonly registryOwners: RegistryOwners;
  readonly customers: CustomerDirectory;
  /** What was true when, as we now know it: the facts each row is judged by. */
  readonly history: DirectoryHistory;
  /** Who has an address now (for data the history never heard of). */
  readonly addresses: Pick<AddressDirectory, 'customerByAddressHash'>;
  readonly firstNotices: FirstNoticeRegister;
  readonly incidents: IncidentStore;
  readonly now: () => Date;
}

/** What a campaign needs on top: its plan, claims and counters, and the queue its apologies go onto. */
export interface CampaignDeps extends AuditDeps {
  /** Also whether an address is suppressed, checked before planning and sending. */
  readonly addresses: AddressDirectory;
  readonly campaigns: CampaignStore;
  readonly apologyQueue: ApologyQueue;
  /** Which incident apologises for each notice: a plan skips those another holds (one apology per notice). */
  readonly apologisedNotices: ApologisedNotices;
  /** Each declarer's campaigns approved by their plans alone, per day: the threshold per person and day. */
  readonly autoApprovals: AutoApprovals;
}

/** Settings of one scheduled run. */
export interface RunSettings {
  /** Campaigns with more recipients than this wait for an operator's approval (and a declarer's of one day together). */
  readonly approvalThreshold: number;
  /** Roles whose sessions name a person (`OPERATOR_PERSON_ROLES`, lambdas/audit/person.ts). */
  readonly personRoles: PersonRoles;
  /** Share (0-1] of SES's MaxSendRate the apologies may use. */
  readonly sendRateShare: number;
  /** Pending rows one run audits at most. */
  readonly maxRowsPerRun: number;
  /** Time kept back before the function's limit. */
  readonly safetyMarginMs: number;
  /** How long a run's lease lasts: longer than the function's timeout. */
  readonly leaseMs: number;
  /**
   * How old a new row must be before it is audited: the directory feed's allowance for late
   * events. An event effective before the notice that arrives within it is not recorded as a
   * correction, so judging the row sooner could miss it (docs/audit-and-apology.md).
   */
  readonly settleMs: number;
}

/** Everything one scheduled run uses. */
export interface RunDeps extends CampaignDeps {
  readonly lease: RunLease;
  /** The audit's place in the directory's corrections log. */
  readonly correctionsCursor: CorrectionsCursor;
  /** The operator's switch: while it is on, audits go on but no apology is sent (the sender checks it). */
  readonly killSwitch: KillSwitch;
  /** SES's quota: the allowed rate a report's ETA is computed from. */
  readonly quota: SendQuota;
  /**
   * The audit queue: when wired, a run fans the audit of new rows out to the row-audit workers
   * (one message per shard) instead of auditing them itself.
   */
  readonly rowAudit?: AuditShardQueue;
  readonly settings: RunSettings;
  readonly sleep: (ms: number) => Promise<unknown>;
  readonly newRunId: () => string;
}
