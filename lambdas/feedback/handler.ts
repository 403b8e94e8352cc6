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
import { refusedEventQuarantine } from './refused-event';
import { kms } from '../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const pipeline = feedbackPipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The feedback function: SES events (the configuration set's SNS destination, delivered
 * raw to its queue) in; suppressions, the email's fate on its ledger row or apology claim,
 * and doubtful sends settled, out. An event of a shape we do not know is quarantined with
 * its reasons and never retried, and so is one about no email we recorded (another message
 * id, another recipient: it changes nothing); partial batch responses: only failed records
 * come back.
 */
export const handler = sqsFunction<SesEvent>({
  retry: { metric: FeedbackMetric.RETRY, message: 'SES event will be retried' },
  work: async (record) => {
    const result = await processSesEvent(record.data, pipeline);
    // Not about an email we recorded: it changed nothing; kept with its reason (a failed write retries the record).
    if (result.refusal) await quarantine.put(refusedEventQuarantine(record, result.refusal, new Date()));
    reportFeedback(result, { messageId: record.messageId });
  },
})
  // No `knownFields`: every field name in a quarantine log line is masked (SES events carry
  // addresses, and a broken one could carry them anywhere).
  .use(sqsRecordValidationMiddleware({ schema: sesEvent, quarantine, maxBodyBytes: MAX_SES_EVENT_BYTES, logger, metrics }));
