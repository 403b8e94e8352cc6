import { documentClientOf } from '../../platform/dynamodb/document';
import { dynamoDb } from '../../platform/clients/dynamodb';
import { sesV2 } from '../../platform/clients/ses';
import { SesAccountSuppressions } from '../../mail/ses/ses-account-suppressions';
import { sqs } from '../../platform/clients/sqs';
import { SqsErasureDrainRequests } from '../../directory/queues/sqs-evidence-queue';
import type { ErasureDrainRequests } from '../../directory/erasure-drain-request';
import { ledgerRetentionDaysFromEnv, readEnv } from '../../platform/env';
import { directoryApplyDeps } from '../../directory/apply-deps-wiring';
import { directoryLineHandler } from '../../directory/directory-lines';
import { MAX_DIRECTORY_BODY_BYTES } from '../../directory/directory-event';
import { DynamoDbImportedNotices } from '../tables/imported-notices';
import { DynamoDbDirectoryHistory } from '../../directory/tables/directory-history';
import { erasedRecipientCheck } from '../erased-recipients';
import { sendLogLineHandler } from '../send-log/send-log-lines';
import { MAX_SEND_LOG_LINE_BYTES } from '../../audit/send-log-line';
import { DIRECTORY_PREFIX, SEND_LOG_PREFIX } from './prefixes';
import type { ImportRoute } from './process-import';
import { IMPORT_ROUTES_ENV } from './env';

export { DIRECTORY_PREFIX, SEND_LOG_PREFIX } from './prefixes';

/**
 * The import function's routes: which key prefix holds which kind of JSON Lines: directory
 * snapshots, and other systems' send logs (each line as `import` takes it, in the ledger). To
 * import another kind: a prefix in `prefixes.ts` with its line handler here, the prefix in the
 * stack's `S3LineImport` (its bucket notifies the queue of it) and the handler's grants.
 */
export function importRoutesFromEnv(env: NodeJS.ProcessEnv = process.env, evidenceDrain?: ErasureDrainRequests): ImportRoute[] {
  const e = readEnv(IMPORT_ROUTES_ENV, env);
  const db = documentClientOf(dynamoDb);
  const directory = {
    ...directoryApplyDeps(db, {
      history: e.DIRECTORY_HISTORY_TABLE,
      registries: e.REGISTRIES_TABLE,
      customers: e.CUSTOMERS_TABLE,
      ledger: e.LEDGER_TABLE,
    }),
    // A snapshot's erasure takes the addresses off SES's account suppression list too.
    accountSuppressions: new SesAccountSuppressions(sesV2),
    // And asks for the DLQs, quarantines and import bucket to lose what names the customer.
    evidenceDrain: evidenceDrain ?? new SqsErasureDrainRequests(sqs, e.ERASURE_DRAIN_QUEUE_URL),
  };
  const imported = new DynamoDbImportedNotices({
    client: db,
    ledgerTable: e.LEDGER_TABLE,
    auditTable: e.AUDIT_TABLE,
    retentionDays: ledgerRetentionDaysFromEnv(env),
    // A row about an erased customer is imported without its address.
    erasedRecipients: erasedRecipientCheck(new DynamoDbDirectoryHistory({ client: db, tableName: e.DIRECTORY_HISTORY_TABLE })),
  });
  return [
    {
      prefix: DIRECTORY_PREFIX,
      handler: directoryLineHandler(directory),
      maxLineBytes: MAX_DIRECTORY_BODY_BYTES,
      // The snapshot's corrections name its uploader, who may not approve the campaign they lead to.
      handlerFor: (uploadedBy) => directoryLineHandler({ ...directory, appliedBy: uploadedBy }),
    },
    {
      prefix: SEND_LOG_PREFIX,
      handler: sendLogLineHandler(imported, () => new Date()),
      maxLineBytes: MAX_SEND_LOG_LINE_BYTES,
      // The log's rows name its uploader, who may not approve the campaign they lead to.
      handlerFor: (uploadedBy) => sendLogLineHandler(imported, () => new Date(), { importedBy: uploadedBy }),
    },
  ];
}
