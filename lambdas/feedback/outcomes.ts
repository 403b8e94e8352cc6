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
  settled: r.settled,
  suppressed: r.suppressed,
});

const outcome = (level: 'info' | 'warn' | 'error', message: string, metric?: string): Outcome<FeedbackResult> => ({
  count: metric === undefined ? everyEvent : [...everyEvent, metric],
  log: { level, message, fields },
});
const unmatched = outcome('warn', 'SES event for no notice or apology we know', FeedbackMetric.EVENT_UNMATCHED);

/** What each SES event counts and logs. */
export const reportFeedback = outcomeReport<FeedbackResult, 'UNMATCHED' | 'OTHER_MESSAGE' | 'SETTLED' | 'RECORDED'>(
  (r) =>
    r.recording === 'no-subject' || r.recording === 'not-found'
      ? 'UNMATCHED'
      : r.recording === 'other-message'
        ? 'OTHER_MESSAGE'
        : r.settled
          ? 'SETTLED'
          : 'RECORDED',
  {
    UNMATCHED: unmatched,
    OTHER_MESSAGE: outcome('error', 'SES event about another email than the one recorded: a second email went', FeedbackMetric.EVENT_OTHER_MESSAGE),
    SETTLED: outcome('info', 'an email in doubt is settled by its SES event'),
    RECORDED: outcome('info', 'SES event recorded'),
  },
);
