import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { sqs } from '../../platform/clients/sqs';
import { ImportMetric } from '../../platform/metric-names';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { importMessageSchema, type ImportMessage } from './import-message';
import { importDepsFromEnv } from './pipeline';
import { processImportMessage } from './process-import';
import { kms } from '../../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const deps = importDepsFromEnv();
const quarantine = quarantineFromEnv(sqs);

/**
 * The S3 import function: S3 event notifications of new objects in the import bucket (and its
 * own continuations) in, JSON Lines handled chunk by chunk by the line handler of the key's
 * prefix (`routes.ts`), a report written beside each object at the end (docs/directory-events.md, "Backfill").
 * A message is a chunk of one import; a throw (a throttled write) retries just this message.
 */
export const handler = sqsFunction<ImportMessage>({
  retry: { metric: ImportMetric.RETRY, message: 'import message will be retried' },
  coldStartMetric: false,
  work: async (record, remainingMs) => {
    for (const result of await processImportMessage(record.data, deps, remainingMs)) {
      // Ids and counts only: the lines carry addresses and names.
      logger.info('import message processed', { messageId: record.messageId, ...result });
    }
  },
}).use(sqsRecordValidationMiddleware({ schema: importMessageSchema, quarantine, logger, metrics, now: deps.now }));
