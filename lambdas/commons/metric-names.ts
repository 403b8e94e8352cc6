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
  QUARANTINED: 'MessageQuarantined',
  DUPLICATE: 'DuplicateDelivery',
  UNCERTAIN: 'SendUncertain',
  FAILED: 'SendFailed',
  RETRY: 'RecordRetried',
  DEFERRED: 'DeferredWhilePaused',
} as const;

/** What the audit function counts. */
export const AuditMetric = {
  /** Wrong notices found in a run (dimension `reason` on the by-reason metric). */
  WRONG_NOTICE_FOUND: 'WrongNoticeFound',
  WRONG_NOTICE_BY_REASON: 'WrongNoticeFoundByReason',
  ROWS_AUDITED: 'LedgerRowsAudited',
  INCIDENT_ROWS_AUDITED: 'IncidentRowsAudited',
  APOLOGY_SENT: 'ApologySent',
  /** SES refused an apology for good, or its outcome is unknown. */
  APOLOGY_FAILED: 'ApologyFailed',
  APOLOGY_UNCERTAIN: 'ApologyUncertain',
  CAMPAIGN_AWAITING_APPROVAL: 'CampaignAwaitingApproval',
} as const;
