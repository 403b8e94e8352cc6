import { readEnv } from '../../platform/env';
import { s3 } from '../../platform/clients/s3';
import { sqs } from '../../platform/clients/sqs';
import type { DrainDeps } from '../drain-erased-evidence';
import { SqsEvidenceQueue } from '../queues/sqs-evidence-queue';
import { S3EvidenceObjects } from '../s3-evidence-objects';
import { ERASURE_DRAIN_PIPELINE_ENV } from './env';

/** Wires the erasure drain from its environment, once at cold start (comma-separated lists). */
export function erasureDrainFromEnv(env: NodeJS.ProcessEnv = process.env): DrainDeps {
  const e = readEnv(ERASURE_DRAIN_PIPELINE_ENV, env);
  const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter(Boolean);
  return {
    queues: list(e.EVIDENCE_QUEUE_URLS).map((queueUrl) => new SqsEvidenceQueue({ client: sqs, queueUrl, holdSeconds: e.EVIDENCE_HOLD_SECONDS })),
    objects: new S3EvidenceObjects({ client: s3, bucket: e.IMPORT_BUCKET, prefixes: list(e.EVIDENCE_OBJECT_PREFIXES) }),
    safetyMs: e.ERASURE_DRAIN_SAFETY_SECONDS * 1000,
  };
}
