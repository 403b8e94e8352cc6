import { quarantineFromEnv } from '../../platform/queues/sqs-quarantine';
import { auditOneShard } from '../audit-one-shard';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { sqs } from '../../platform/clients/sqs';
import { AuditMetric } from '../../platform/metric-names';
import { AUDIT_SHARD_MESSAGE_FIELDS, auditShardMessageSchema, type AuditShardMessage } from '../audit-shard-message';
import { sqsRecordValidationMiddleware } from '../../platform/middleware/sqs-record-validation';
import { logger, metrics } from '../../platform/observability';
import { sqsFunction } from '../../platform/sqs-function';
import { reportShard } from './outcomes';
import { rowAuditPipelineFromEnv } from './pipeline';
import { kms } from '../../platform/clients/kms';
import { useAddressHashKeyFromEnv } from '../../directory/kms-address-hash-key';

// The address-hash key, derived in KMS once per execution environment, before any record.
await useAddressHashKeyFromEnv(kms);
const { deps, settings } = rowAuditPipelineFromEnv({ dynamoDb });
const quarantine = quarantineFromEnv(sqs);

/**
 * The row-audit worker: the audit queue's shard messages in (the scheduled run sends one per
 * shard), each shard's new rows judged by the facts of their moment and marked, one worker per
 * shard at a time, side by side across shards (docs/audit-and-apology.md, "Keeping pace").
 * Partial batch responses: a failed shard (a throttled read or write) alone comes back.
 */
export const handler = sqsFunction<AuditShardMessage>({
  retry: { metric: AuditMetric.SHARD_RETRY, message: 'shard message will be retried', fields: (r) => ({ state: r.data.state }) },
  work: async (record, remainingMs) => reportShard(await auditOneShard(record.data.state, deps, settings, remainingMs)),
}).use(
  sqsRecordValidationMiddleware({
    schema: auditShardMessageSchema,
    quarantine,
    maxBodyBytes: 1024,
    knownFields: AUDIT_SHARD_MESSAGE_FIELDS,
    logger,
    metrics,
  }),
);
