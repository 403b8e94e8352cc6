import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { sqs } from '../../platform/clients/sqs';
import { DirectoryMetric } from '../../platform/metric-names';
import { DIRECTORY_EVENT_FIELDS, directoryEventSchema, MAX_DIRECTORY_BODY_BYTES, type DirectoryEvent } from '../directory-event';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { reportDirectoryResult } from './outcomes';
import { directoryPipelineFromEnv } from './pipeline';
import { processDirectoryEvent } from './process-directory-event';
import { kms } from '../../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const pipeline = directoryPipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The directory function: the shop's directory events (contract v1, docs/directory-events.md)
 * in, the history and the current state out. The validation middleware quarantines invalid
 * records (never retried); partial batch responses: only failed records come back.
 */
export const handler = sqsFunction<DirectoryEvent>({
  retry: { metric: DirectoryMetric.RETRY, message: 'directory record will be retried', fields: (r) => ({ eventId: r.data.eventId }) },
  work: async (record) =>
    reportDirectoryResult(await processDirectoryEvent(record.data, pipeline), { messageId: record.messageId, eventId: record.data.eventId, type: record.data.type }),
}).use(
  sqsRecordValidationMiddleware({
    schema: directoryEventSchema(pipeline.now),
    quarantine,
    maxBodyBytes: MAX_DIRECTORY_BODY_BYTES,
    knownFields: DIRECTORY_EVENT_FIELDS,
    logger,
    metrics,
    now: pipeline.now,
  }),
);
