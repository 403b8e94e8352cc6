import { DynamoDbImportProgress } from '../tables/import-progress';
import { S3ObjectStore } from '../../platform/object-store/s3-object-store';
import { SqsDeferral } from '../../platform/queues/sqs-deferral';
import { documentClientOf } from '../../platform/dynamodb/document';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { s3 } from '../../platform/clients/s3';
import { sqs } from '../../platform/clients/sqs';
import { positiveIntFromEnv, requireEnv } from '../../platform/env';
import type { ImportDeps } from './process-import';
import { importRoutesFromEnv } from './routes';

/** Wires the import function from its environment, once at cold start. */
export function importDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ImportDeps {
  const e = requireEnv(['IMPORT_PROGRESS_TABLE', 'IMPORT_QUEUE_URL'], env);
  const queue = new SqsDeferral(sqs, e.IMPORT_QUEUE_URL);
  return {
    objects: new S3ObjectStore({ client: s3 }),
    progress: new DynamoDbImportProgress({ client: documentClientOf(dynamoDb), tableName: e.IMPORT_PROGRESS_TABLE }),
    routes: importRoutesFromEnv(env),
    continueLater: (message) => queue.defer(JSON.stringify(message), 0),
    now: () => new Date(),
    settings: {
      concurrency: positiveIntFromEnv('IMPORT_CONCURRENCY', 32, env),
      safetyMs: positiveIntFromEnv('IMPORT_SAFETY_SECONDS', 30, env) * 1000,
      maxLinesPerChunk: positiveIntFromEnv('IMPORT_MAX_LINES_PER_CHUNK', 500_000, env),
      reportPrefix: 'reports/',
    },
  };
}
