import { NotifyMetric } from '../../platform/metric-names';
import { outcomeReport } from '../../platform/outcomes';
import { DeferCause, type PurchaseResult } from './process-purchase';

type Outcome = PurchaseResult['kind'] | 'DEFERRED_CLOCK_AHEAD';

/**
 * What each purchase result counts and logs. Only ids and reasons go out: the message body
 * (names, gift messages) and addresses never do. (Invalid records never get here: the
 * validation middleware quarantines, counts and logs them.)
 */
export const reportPurchase = outcomeReport<PurchaseResult, Outcome>(
  (r) => (r.kind === 'DEFERRED' && r.because === DeferCause.CLOCK_AHEAD ? 'DEFERRED_CLOCK_AHEAD' : r.kind),
  {
    DEFERRED_CLOCK_AHEAD: {
      count: [NotifyMetric.DEFERRED_CLOCK_AHEAD],
      log: { level: 'info', message: 'purchase lies ahead of our clock: put back until it is within 5 minutes', fields: ['eventId', 'delaySeconds'] },
    },
    DEFERRED: { count: [NotifyMetric.DEFERRED], log: { level: 'info', message: 'sending is paused: purchase message put back', fields: ['eventId', 'delaySeconds'] } },
    SENT: { count: [NotifyMetric.SENT], log: { level: 'info', message: 'purchase notice sent', fields: ['eventId', 'sesMessageId'] } },
    BLOCKED: {
      count: [NotifyMetric.BLOCKED, { metric: NotifyMetric.BLOCKED_BY_REASON, by: ['reason', (r) => (r as { reason: string }).reason] }],
      log: { level: 'info', message: 'purchase notice blocked', fields: ['eventId', 'reason'] },
    },
    DUPLICATE: { count: [NotifyMetric.DUPLICATE], log: { level: 'info', message: 'purchase event already decided', fields: ['eventId'] } },
    UNCERTAIN: {
      count: [NotifyMetric.UNCERTAIN],
      log: { level: 'error', message: 'the notice may or may not have gone (no answer from SES, or an abandoned claim): UNCERTAIN, not re-sent', fields: ['eventId'] },
    },
    FAILED: { count: [NotifyMetric.FAILED], log: { level: 'error', message: 'SES refused the notice', fields: ['eventId', 'code'] } },
    RESENT: { count: [NotifyMetric.RESENT], log: { level: 'info', message: 'notice in doubt re-sent, as an operator approved', fields: ['eventId', 'sesMessageId'] } },
    RESEND_REFUSED: { count: [NotifyMetric.RESEND_REFUSED], log: { level: 'warn', message: 'approved re-send not sent', fields: ['eventId', 'reason'] } },
    RESEND_FAILED: { count: [NotifyMetric.FAILED], log: { level: 'error', message: 'SES refused the re-send', fields: ['eventId', 'code'] } },
    RESEND_UNCERTAIN: { count: [NotifyMetric.UNCERTAIN], log: { level: 'error', message: 'the re-send may or may not have gone too; never sent again', fields: ['eventId'] } },
  },
);
