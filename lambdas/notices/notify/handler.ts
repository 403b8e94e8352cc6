import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { sqs } from '../../platform/clients/sqs';
import { NotifyMetric } from '../../platform/metric-names';
import { MAX_BODY_BYTES, PURCHASE_MESSAGE_FIELDS, purchaseMessageSchema, type PurchaseMessage } from '../purchase-message';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { reportPurchase } from './outcomes';
import { pipelineFromEnv } from './pipeline';
import { processPurchase } from './process-purchase';
import { kms } from '../../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const pipeline = pipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The notify function: SQS purchase events in, at most one notice per event out.
 * The validation middleware quarantines invalid records (never retried) and hands on the
 * valid ones parsed; partial batch responses: only failed records come back.
 */
export const handler = sqsFunction<PurchaseMessage>({
  retry: { metric: NotifyMetric.RETRY, message: 'purchase record will be retried' },
  work: async (record) => reportPurchase(await processPurchase(record.data, pipeline), { messageId: record.messageId }),
}).use(
  sqsRecordValidationMiddleware({
    schema: purchaseMessageSchema(pipeline.now),
    quarantine,
    maxBodyBytes: MAX_BODY_BYTES,
    knownFields: PURCHASE_MESSAGE_FIELDS,
    logger,
    metrics,
    now: pipeline.now,
  }),
);
