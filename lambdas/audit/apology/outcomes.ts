import { ApologyMetric, AuditMetric } from '../../platform/metric-names';
import { outcomeReport, type Outcome } from '../../platform/outcomes';
import type { SendResult } from './send-apology';

const deferred = (warn?: string): Outcome<SendResult> => ({
  count: [{ metric: ApologyMetric.DEFERRED, by: ['why', (r) => r] }],
  ...(warn === undefined ? {} : { log: { level: 'warn', message: warn } }),
});
const unknown: Outcome<SendResult> = {
  count: [AuditMetric.APOLOGY_FAILED, AuditMetric.APOLOGY_UNCERTAIN],
  log: { level: 'error', message: 'apology outcome unknown: UNCERTAIN, never re-sent', fields: (result) => ({ result }) },
};

/** What each apology's send counts and logs when it needs a look. Ids and results only, never an address. */
export const reportSend = outcomeReport<SendResult, SendResult>((r) => r, {
  SENT: { count: [AuditMetric.APOLOGY_SENT] },
  FAILED: { count: [AuditMetric.APOLOGY_FAILED], log: { level: 'error', message: 'apology refused by SES' } },
  UNCERTAIN: unknown,
  SENDER_DIED: unknown,
  SKIPPED: {},
  DUPLICATE: {},
  DEFERRED_PAUSED: deferred(),
  DEFERRED_BREAKER: deferred('SES did not take apologies: breaker open, put back'),
  DEFERRED_BUSY: deferred(),
  DEFERRED_DAILY_QUOTA: deferred(),
});
