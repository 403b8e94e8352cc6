import { documentClientOf } from '../adapters/dynamodb-document';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requireEnv } from '../commons/env';
import { directoryApplyDeps } from '../directory/apply-deps';
import { directoryLineHandler } from '../directory/directory-lines';
import { MAX_DIRECTORY_BODY_BYTES } from '../domain/directory/directory-event';
import type { ImportRoute } from './process-import';

/** The key prefix of directory snapshots in the import bucket (the bucket notifies the import queue of it). */
export const DIRECTORY_PREFIX = 'directory/';

/**
 * The import function's routes: which key prefix holds which kind of JSON Lines. To import
 * another kind (a large send log): a prefix here with its line handler, the same prefix in the
 * stack's `S3LineImport` (its bucket notifies the queue of it) and the handler's grants.
 */
export function importRoutesFromEnv(env: NodeJS.ProcessEnv = process.env): ImportRoute[] {
  const e = requireEnv(['DIRECTORY_HISTORY_TABLE', 'REGISTRIES_TABLE', 'CUSTOMERS_TABLE', 'LEDGER_TABLE'], env);
  const directory = directoryApplyDeps(documentClientOf(dynamoDb), {
    history: e.DIRECTORY_HISTORY_TABLE,
    registries: e.REGISTRIES_TABLE,
    customers: e.CUSTOMERS_TABLE,
    ledger: e.LEDGER_TABLE,
  });
  return [{ prefix: DIRECTORY_PREFIX, handler: directoryLineHandler(directory), maxLineBytes: MAX_DIRECTORY_BODY_BYTES }];
}
