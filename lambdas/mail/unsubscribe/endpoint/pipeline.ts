import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbUnsubscribes } from '../../tables/unsubscribes-table';
import { KmsMacKey } from '../kms-mac-key';
import { kmsTokenSeal } from '../kms-token-seal';
import { DynamoDbMailedAddresses } from '../../tables/mailed-addresses';
import { DEFAULT_VERIFY_BUDGET, VerifyBudget } from '../verify-budget';
import { readEnv } from '../../../platform/env';
import type { UnsubscribeDeps } from './answer-unsubscribe';
import { UNSUBSCRIBE_PIPELINE_ENV } from './env';

/**
 * Wires the unsubscribe endpoint from its environment, once per execution environment; a
 * missing setting fails the first invocation loudly.
 */
export function unsubscribeDepsFromEnv(clients: { dynamoDb: DynamoDBClient; kms: Pick<KMSClient, 'send'> }, env: NodeJS.ProcessEnv = process.env): UnsubscribeDeps {
  const e = readEnv(UNSUBSCRIBE_PIPELINE_ENV, env);
  return {
    key: new KmsMacKey(clients.kms, e.UNSUBSCRIBE_KEY_ARN),
    seal: kmsTokenSeal(clients.kms, e.UNSUBSCRIBE_SEAL_KEY_ARN),
    unsubscribes: new DynamoDbUnsubscribes(clients.dynamoDb, e.UNSUBSCRIBES_TABLE),
    mailed: new DynamoDbMailedAddresses(clients.dynamoDb, e.LEDGER_TABLE),
    budget: new VerifyBudget({ ...DEFAULT_VERIFY_BUDGET, perSecond: e.UNSUBSCRIBE_VERIFY_PER_SECOND }, () => Date.now()),
    now: () => new Date(),
  };
}
