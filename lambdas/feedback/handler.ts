import { quarantineFromEnv } from '../platform/queues/sqs-quarantine';
import { sqs } from '../platform/clients/sqs';
import { FeedbackMetric } from '../platform/metric-names';
import { MAX_SES_EVENT_BYTES, sesEvent, type SesEvent } from '../mail/ses-event';
import { sqsRecordValidationMiddleware } from '../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../platform/observability';
import { sqsFunction } from '../platform/sqs-function';
import { reportFeedback } from './outcomes';
import { feedbackPipelineFromEnv } from './pipeline';
import { processSesEvent } from './process-ses-event';

const pipeline = feedbackPipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The feedback function: SES events (the configuration set's SNS destination, delivered
 * raw to its queue) in; suppressions, the email's fate on its ledger row or apology claim,
 * and doubtful sends settled, out. An event of a shape we do not know is quarantined with
 * its reasons and never retried; partial batch responses: only failed records come back.
 */
export const handler = sqsFunction<SesEvent>({
  retry: { metric: FeedbackMetric.RETRY, message: 'SES event will be retried' },
  work: async (record) => reportFeedback(await processSesEvent(record.data, pipeline), { messageId: record.messageId }),
})
  // No `knownFields`: every field name in a quarantine log line is masked (SES events carry
  // addresses, and a broken one could carry them anywhere).
  .use(sqsRecordValidationMiddleware({ schema: sesEvent, quarantine, maxBodyBytes: MAX_SES_EVENT_BYTES, logger, metrics }));
