import { DynamoDbImportProgress } from '../adapters/dynamodb-import-progress';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { SqsDeferral } from '../adapters/sqs-deferral';
import { documentClientOf } from '../adapters/dynamodb-document';
import { dynamoDb } from '../commons/clients/dynamodb';
import { s3 } from '../commons/clients/s3';
import { sqs } from '../commons/clients/sqs';
import { positiveIntFromEnv, requireEnv } from '../commons/env';
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
