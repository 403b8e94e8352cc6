import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbUnsubscribes } from '../../tables/unsubscribes-table';
import { KmsMacKey } from '../kms-mac-key';
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
    unsubscribes: new DynamoDbUnsubscribes(clients.dynamoDb, e.UNSUBSCRIBES_TABLE),
    now: () => new Date(),
  };
}
