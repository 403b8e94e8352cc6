import { positiveIntFromEnv, readEnv } from '../../platform/env';
import { s3 } from '../../platform/clients/s3';
import { sqs } from '../../platform/clients/sqs';
import { documentClientOf } from '../../platform/dynamodb/document';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { DynamoDbImportProgress } from '../../imports/tables/import-progress';
import { uploadImports } from '../../imports/upload-imports';
import type { ErasureDrainDeps } from '../drain-erased-evidence';
import { ERASURE_DRAIN_REQUEST_ENV } from '../erasure-drain-env';
import { SqsErasureDrainFollowUps, SqsEvidenceQueue } from '../queues/sqs-evidence-queue';
import { S3EvidenceObjects } from '../s3-evidence-objects';
import { ERASURE_DRAIN_PIPELINE_ENV } from './env';

/** Wires the erasure drain from its environment, once at cold start (comma-separated lists). */
export function erasureDrainFromEnv(env: NodeJS.ProcessEnv = process.env): ErasureDrainDeps {
  const e = readEnv(ERASURE_DRAIN_PIPELINE_ENV, env);
  const { ERASURE_DRAIN_QUEUE_URL } = readEnv(ERASURE_DRAIN_REQUEST_ENV, env);
  const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);
  return {
    queues: list(e.EVIDENCE_QUEUE_URLS).map((queueUrl) => new SqsEvidenceQueue({ client: sqs, queueUrl, holdSeconds: e.EVIDENCE_HOLD_SECONDS })),
    objects: new S3EvidenceObjects({ client: s3, bucket: e.IMPORT_BUCKET, prefixes: list(e.EVIDENCE_OBJECT_PREFIXES) }),
    // The import progress module's read only: the drain never writes an import's progress.
    uploads: uploadImports(new DynamoDbImportProgress({ client: documentClientOf(dynamoDb), tableName: e.IMPORT_PROGRESS_TABLE }), e.IMPORT_BUCKET, list(e.IMPORTED_OBJECT_PREFIXES)),
    safetyMs: e.ERASURE_DRAIN_SAFETY_SECONDS * 1000,
    followUps: new SqsErasureDrainFollowUps(sqs, ERASURE_DRAIN_QUEUE_URL),
    policy: {
      // Required, so read as a positive integer (the fallback is never used).
      horizonMs: positiveIntFromEnv('ERASURE_FOLLOW_UP_HORIZON_SECONDS', 1, env) * 1000,
      spacingMs: e.ERASURE_FOLLOW_UP_SPACING_SECONDS * 1000,
      objectMarginMs: e.ERASURE_OBJECT_MARGIN_SECONDS * 1000,
    },
    now: () => new Date(),
  };
}
