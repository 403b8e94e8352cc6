import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { ssmParameterReader } from '../../platform/ssm-parameter-reader';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { sesV2 } from '../../platform/clients/ses';
import { kms } from '../../platform/clients/kms';
import { sqs } from '../../platform/clients/sqs';
import { ssm } from '../../platform/clients/ssm';
import { ApologyMetric } from '../../platform/metric-names';
import { APOLOGY_MESSAGE_FIELDS, APOLOGY_MESSAGE_MAX_BYTES, apologyMessageSchema, type ApologyMessage } from '../apology-message';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { reportSend } from './outcomes';
import { senderDepsFromEnv } from './pipeline';
import { sendApology } from './send-apology';
import { useAddressHashKeyFromEnv } from '../../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const deps = senderDepsFromEnv({ dynamoDb, sesV2, sqs, kms, readParameter: ssmParameterReader(ssm) });
const quarantine = quarantineFromEnv(sqs);

/**
 * The apology sender: planned apologies from the apology queue, each claimed, re-checked,
 * paced on the shared slot schedule (under SES's rate × our share, whatever the concurrency),
 * sent and settled. The records of a batch run in parallel, each waiting for its own slot.
 */
export const handler = sqsFunction<ApologyMessage>({
  retry: { metric: ApologyMetric.RETRY, message: 'apology record will be retried', fields: (r) => ({ incidentId: r.data.incidentId }) },
  work: async (record, remainingMs) => reportSend(await sendApology(record.data, deps, remainingMs), { incidentId: record.data.incidentId }),
}).use(
  sqsRecordValidationMiddleware({
    schema: apologyMessageSchema,
    quarantine,
    maxBodyBytes: APOLOGY_MESSAGE_MAX_BYTES,
    knownFields: APOLOGY_MESSAGE_FIELDS,
    logger,
    metrics,
  }),
);
