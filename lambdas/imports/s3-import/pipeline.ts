import { DynamoDbImportProgress } from '../tables/import-progress';
import { S3ObjectStore } from '../../platform/object-store/s3-object-store';
import { SqsDeferral } from '../../platform/queues/sqs-deferral';
import { documentClientOf } from '../../platform/dynamodb/document';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { s3 } from '../../platform/clients/s3';
import { sqs } from '../../platform/clients/sqs';
import { readEnv } from '../../platform/env';
import { SqsErasureDrainRequests } from '../../directory/queues/sqs-evidence-queue';
import type { ImportDeps } from './process-import';
import { importRoutesFromEnv } from './routes';
import { IMPORT_PIPELINE_ENV } from './env';

/** Wires the import function from its environment (./env.ts), once at cold start. */
export function importDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ImportDeps {
  const e = readEnv(IMPORT_PIPELINE_ENV, env);
  const queue = new SqsDeferral(sqs, e.IMPORT_QUEUE_URL);
  // One port for both: a snapshot's erasure lines, and the erased customers an upload's rows were about.
  const evidenceDrain = new SqsErasureDrainRequests(sqs, e.ERASURE_DRAIN_QUEUE_URL);
  return {
    objects: new S3ObjectStore({ client: s3 }),
    progress: new DynamoDbImportProgress({ client: documentClientOf(dynamoDb), tableName: e.IMPORT_PROGRESS_TABLE }),
    routes: importRoutesFromEnv(env, evidenceDrain),
    evidenceDrain,
    continueLater: (message) => queue.defer(JSON.stringify(message), 0),
    now: () => new Date(),
    settings: {
      concurrency: e.IMPORT_CONCURRENCY,
      safetyMs: e.IMPORT_SAFETY_SECONDS * 1000,
      maxLinesPerChunk: e.IMPORT_MAX_LINES_PER_CHUNK,
      reportPrefix: 'reports/',
    },
  };
}
