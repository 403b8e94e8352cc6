import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { kms } from '../../platform/clients/kms';
import { sqs } from '../../platform/clients/sqs';
import { DirectoryMetric } from '../../platform/metric-names';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { drainErasure } from '../drain-erased-evidence';
import { ERASURE_DRAIN_REQUEST_FIELDS, erasureDrainRequestSchema, type ErasureDrainRequest } from '../erasure-drain-request';
import { useAddressHashKeyFromEnv } from '../kms-address-hash-key';
import { reportDrain } from './outcomes';
import { erasureDrainFromEnv } from './pipeline';

// The address-hash key, derived in KMS once per execution environment: bodies' addresses are matched by hash.
await useAddressHashKeyFromEnv(kms);
const deps = erasureDrainFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The erasure drain: one request per erased customer (sent by the directory and import
 * functions once the tables are scrubbed) in; the DLQs' and quarantines' messages that name
 * the customer deleted, every other one shown again at once, the import bucket's objects that
 * name them deleted (docs/data-model.md, "Erasure"); then the request sent again to itself for
 * the follow-up passes, until nothing naming them can still be on its way. One pass at a time
 * (reserved concurrency 1): two passes would each hide messages from the other.
 */
export const handler = sqsFunction<ErasureDrainRequest>({
  retry: { metric: DirectoryMetric.ERASURE_DRAIN_RETRY, message: 'erasure drain will be retried', fields: (r) => ({ customerId: r.data.customerId }) },
  work: async (record, remainingMs) => reportDrain(await drainErasure(record.data, deps, remainingMs), { messageId: record.messageId }),
}).use(
  sqsRecordValidationMiddleware({
    schema: erasureDrainRequestSchema,
    quarantine,
    maxBodyBytes: 16 * 1024,
    knownFields: ERASURE_DRAIN_REQUEST_FIELDS,
    logger,
    metrics,
  }),
);
