/**
 * Custom metric names (Powertools, namespace `RegistryNotices`, dimension `service`). The
 * functions emit them and the stack's alarms (lib/) watch them: one list, so they cannot drift.
 * No dependencies, so the CDK app can import it.
 */

/** What the notify function counts. */
export const NotifyMetric = {
  SENT: 'NoticeSent',
  BLOCKED: 'NoticeBlocked',
  BLOCKED_BY_REASON: 'NoticeBlockedByReason',
  DUPLICATE: 'DuplicateDelivery',
  UNCERTAIN: 'SendUncertain',
  FAILED: 'SendFailed',
  RETRY: 'RecordRetried',
  /** An operator-approved re-send of a notice in doubt went out. */
  RESENT: 'NoticeResent',
  /** An approved re-send was not sent: a guard says no now, or the owner changed. */
  RESEND_REFUSED: 'ResendRefused',
  DEFERRED: 'DeferredWhilePaused',
  /** A purchase more than 5 minutes ahead of our clock waits on the queue (the producer's clock runs fast). */
  DEFERRED_CLOCK_AHEAD: 'DeferredClockAhead',
} as const;

/** What the audit function counts. */
export const AuditMetric = {
  /** Wrong notices found in a run (dimension `reason` on the by-reason metric). */
  WRONG_NOTICE_FOUND: 'WrongNoticeFound',
  WRONG_NOTICE_BY_REASON: 'WrongNoticeFoundByReason',
  ROWS_AUDITED: 'LedgerRowsAudited',
  /** Seconds since the oldest row a row-audit worker found waiting was decided (the audit's backlog). */
  PENDING_ROW_AGE: 'AuditPendingRowAge',
  INCIDENT_ROWS_AUDITED: 'IncidentRowsAudited',
  /** Rows judged again because a directory correction touched them. */
  CORRECTED_ROWS_AUDITED: 'CorrectedRowsAudited',
  /** Recipients an audit run put on the apology queue. */
  APOLOGY_ENQUEUED: 'ApologyEnqueued',
  APOLOGY_SENT: 'ApologySent',
  /** SES refused an apology for good, or its outcome is unknown. */
  APOLOGY_FAILED: 'ApologyFailed',
  APOLOGY_UNCERTAIN: 'ApologyUncertain',
  CAMPAIGN_AWAITING_APPROVAL: 'CampaignAwaitingApproval',
  /** A row-audit worker's shard message failed (a throttled read or write) and is retried. */
  SHARD_RETRY: 'AuditShardRetried',
} as const;

/** What the directory function counts. */
export const DirectoryMetric = {
  /** An event with at least one fact new to the history. */
  APPLIED: 'DirectoryEventApplied',
  /** A duplicate, or a fact already known. */
  UNCHANGED: 'DirectoryEventUnchanged',
  /** Facts that changed the past (the audit re-judges the notices they touch). */
  CORRECTION: 'DirectoryCorrection',
  /** An event more than 5 minutes ahead of our clock waits on the queue (the shop's clock runs fast). */
  DEFERRED_CLOCK_AHEAD: 'DirectoryDeferredClockAhead',
  RETRY: 'DirectoryRecordRetried',
  /** Queued messages and import objects that named an erased customer, removed by the erasure drain. */
  ERASURE_EVIDENCE_REMOVED: 'ErasureEvidenceRemoved',
  /** Erasure drain passes done. */
  ERASURE_DRAINED: 'ErasureDrained',
  /** An erasure drain pass that failed (or ran out of time) and will run again. */
  ERASURE_DRAIN_RETRY: 'ErasureDrainRetried',
  /** A pass after which the drain sent itself the next (the erasure is younger than the follow-up horizon). */
  ERASURE_DRAIN_FOLLOW_UP_SENT: 'ErasureDrainFollowUpSent',
  /** An erasure's last pass done: the follow-up horizon had passed since its first. */
  ERASURE_DRAIN_FINISHED: 'ErasureDrainFinished',
  /** A follow-up request not due yet, sent again to wait (SQS delays at most 15 minutes). */
  ERASURE_DRAIN_WAITED: 'ErasureDrainWaited',
  /** Uploads naming an erased customer a pass kept for a later one: their import had not finished (or not started). */
  ERASURE_DRAIN_OBJECT_DEFERRED: 'ErasureDrainObjectDeferred',
  /** Stored legacy address hashes rewritten to the keyed hash by the re-keying job. */
  HASHES_REKEYED: 'AddressHashesRekeyed',
} as const;

/** What the feedback function counts (SES events back in). */
export const FeedbackMetric = {
  /** An SES event handled, by `eventType` on the by-type metric. */
  SES_EVENT: 'SesEventReceived',
  SES_EVENT_BY_TYPE: 'SesEventReceivedByType',
  /** An address put on the suppression list (permanent bounce, complaint, soft bounces over the policy). */
  ADDRESS_SUPPRESSED: 'AddressSuppressed',
  SOFT_BOUNCE: 'SoftBounceCounted',
  /** An email in doubt (UNCERTAIN) settled by its SES event. */
  UNCERTAIN_SETTLED: 'UncertainSettled',
  /** An event whose tags name no notice or apology of ours, or one we no longer have. */
  EVENT_UNMATCHED: 'SesEventUnmatched',
  /** An event about another email than the one its notice or apology records: a second email went. */
  EVENT_OTHER_MESSAGE: 'SesEventOtherMessage',
  /** An event naming an address its email was not sent to (or several): changed nothing, quarantined. */
  EVENT_FOREIGN_RECIPIENT: 'SesEventForeignRecipient',
  /** An event that changed nothing because it is not about an email we recorded, quarantined with its reason (dimension `reason` on the by-reason metric). */
  EVENT_QUARANTINED: 'SesEventQuarantined',
  EVENT_QUARANTINED_BY_REASON: 'SesEventQuarantinedByReason',
  RETRY: 'SesEventRetried',
} as const;

/** What the S3 import function counts (its report beside each object says the rest). */
export const ImportMetric = {
  /** An import message failed (a throttled write) and is retried. */
  RETRY: 'ImportMessageRetried',
} as const;

/** What the apology sender counts besides the audit's `ApologySent`/`ApologyFailed`/`ApologyUncertain`. */
export const ApologyMetric = {
  /** An apology was put back on the queue with a delay (dimension `why`: paused, breaker, busy, daily quota). */
  DEFERRED: 'ApologyDeferred',
  /** A record failed unexpectedly and is retried (then dead-lettered). */
  RETRY: 'ApologyRecordRetried',
} as const;

/** What every function's validation middleware counts (lambdas/platform/middleware/). */
export const ValidationMetric = {
  /** An invalid record went to the quarantine (never retried). */
  QUARANTINED: 'MessageQuarantined',
  /** The quarantine write failed: the record is retried, and after the receive limit dead-lettered. */
  QUARANTINE_FAILED: 'QuarantineWriteFailed',
} as const;

/** What the operator function counts (its log lines name the command). */
export const OperatorMetric = {
  /** A command ran to its answer. */
  COMMAND_DONE: 'OperatorCommandDone',
  /** A command was refused (bad request, two-person rule, not found, conflict) or failed. */
  COMMAND_REFUSED: 'OperatorCommandRefused',
  /** The apology preview function rendered an apology (`apology preview`; dimension-free, the log names the language). */
  APOLOGY_PREVIEW_RENDERED: 'ApologyPreviewRendered',
} as const;

/** What the unsubscribe endpoint counts. */
export const UnsubscribeMetric = {
  /** A POST recorded a new unsubscribe (dimension-free: the scope is in the log). */
  RECORDED: 'UnsubscribeRecorded',
  /** A POST for an unsubscribe already recorded: nothing changed. */
  REPEATED: 'UnsubscribeRepeated',
  /** A GET of a good link: the confirmation page, nothing changed. */
  CONFIRMATION_SHOWN: 'UnsubscribeConfirmationShown',
  /** A bad, tampered or expired link, or a request breaking the contract: the 400 page. */
  LINK_REFUSED: 'UnsubscribeLinkRefused',
  /** The key or the table could not be used: the try-later page, nothing recorded (alarmed). */
  UNAVAILABLE: 'UnsubscribeUnavailable',
  /** A POST that passed the cheap checks found no key check left in the budget: the try-later page (alarmed). */
  DEFERRED: 'UnsubscribeDeferred',
} as const;
