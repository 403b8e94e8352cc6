import { FeedbackMetric } from '../platform/metric-names';
import { outcomeReport, whenPositive, type Count, type Outcome } from '../platform/outcomes';
import type { FeedbackResult } from './process-ses-event';

/** Counted for every SES event, whatever became of it. */
const everyEvent: readonly Count<FeedbackResult>[] = [
  FeedbackMetric.SES_EVENT,
  { metric: FeedbackMetric.SES_EVENT_BY_TYPE, by: ['eventType', (r) => r.eventType] },
  { metric: FeedbackMetric.ADDRESS_SUPPRESSED, value: whenPositive((r) => r.suppressed) },
  { metric: FeedbackMetric.SOFT_BOUNCE, value: whenPositive((r) => r.softBounces) },
  { metric: FeedbackMetric.UNCERTAIN_SETTLED, value: (r) => (r.settled ? 1 : undefined) },
];

/** Ids, types and counts only: the event's addresses never go out. */
const fields = (r: FeedbackResult): Record<string, unknown> => ({
  eventType: r.eventType,
  sesMessageId: r.sesMessageId,
  ...(r.subject?.kind === 'notice' ? { noticeId: r.subject.noticeId } : {}),
  ...(r.subject?.kind === 'apology' ? { incidentId: r.subject.incidentId, addressHash: r.subject.addressHash } : {}),
  recording: r.recording,
  ...(r.refusal ? { refusal: r.refusal } : {}),
  settled: r.settled,
  suppressed: r.suppressed,
});

/** Counted for every event that changed nothing and went to the quarantine. */
const quarantined: readonly Count<FeedbackResult>[] = [
  FeedbackMetric.EVENT_QUARANTINED,
  { metric: FeedbackMetric.EVENT_QUARANTINED_BY_REASON, by: ['reason', (r) => r.refusal ?? 'NONE'] },
];

const outcome = (level: 'info' | 'warn' | 'error', message: string, ...metrics: Count<FeedbackResult>[]): Outcome<FeedbackResult> => ({
  count: [...everyEvent, ...metrics],
  log: { level, message, fields },
});

/** What each SES event counts and logs. */
export const reportFeedback = outcomeReport<FeedbackResult, 'UNMATCHED' | 'OTHER_MESSAGE' | 'FOREIGN_RECIPIENT' | 'SETTLED' | 'RECORDED'>(
  (r) =>
    r.refusal === 'UNKNOWN_MESSAGE'
      ? 'UNMATCHED'
      : r.refusal === 'OTHER_MESSAGE'
        ? 'OTHER_MESSAGE'
        : r.refusal === 'FOREIGN_RECIPIENT'
          ? 'FOREIGN_RECIPIENT'
          : r.settled
            ? 'SETTLED'
            : 'RECORDED',
  {
    UNMATCHED: outcome('warn', 'SES event for no email of ours we know: changed nothing, quarantined', FeedbackMetric.EVENT_UNMATCHED, ...quarantined),
    OTHER_MESSAGE: outcome(
      'error',
      'SES event about another email than the one recorded (a second email went, or a forgery): changed nothing, quarantined',
      FeedbackMetric.EVENT_OTHER_MESSAGE,
      ...quarantined,
    ),
    FOREIGN_RECIPIENT: outcome(
      'error',
      'SES event naming an address its email was not sent to: changed nothing, quarantined',
      FeedbackMetric.EVENT_FOREIGN_RECIPIENT,
      ...quarantined,
    ),
    SETTLED: outcome('info', 'an email in doubt is settled by its SES event'),
    RECORDED: outcome('info', 'SES event recorded'),
  },
);
