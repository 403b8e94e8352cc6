import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readEnv } from '../../platform/env';
import { DynamoDbRekeyTables } from './dynamodb-rekey-tables';
import type { RekeySettings, RekeyTables } from './rekey-hashes';
import { REKEY_ENV } from './env';

/** The re-keying job's tables and settings from its environment, once per execution environment. */
export function rekeyDepsFromEnv(dynamoDb: DynamoDBClient, env: NodeJS.ProcessEnv = process.env): { tables: RekeyTables; settings: RekeySettings } {
  const e = readEnv(REKEY_ENV, env);
  return {
    tables: new DynamoDbRekeyTables(dynamoDb, {
      customers: e.CUSTOMERS_TABLE,
      history: e.DIRECTORY_HISTORY_TABLE,
      ledger: e.LEDGER_TABLE,
      suppressions: e.SUPPRESSIONS_TABLE,
      unsubscribes: e.UNSUBSCRIBES_TABLE,
    }),
    settings: { ledgerKeepDays: e.REKEY_LEDGER_KEEP_DAYS, now: () => new Date() },
  };
}
