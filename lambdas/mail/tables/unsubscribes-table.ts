import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { UnsubscribeScope } from '../unsubscribe/unsubscribe-token';
import type { Unsubscribe, UnsubscribeRegister } from '../ports/unsubscribes';
import { conditionHeld } from '../../platform/dynamodb/helpers';

/**
 * The sort key of an unsubscribe: `ALL`, or `REGISTRY#<registryId>`.
 *
 * @example
 * unsubscribeScopeKey({ kind: 'REGISTRY', registryId: 'reg-1' }) // 'REGISTRY#reg-1'
 */
export function unsubscribeScopeKey(scope: UnsubscribeScope): string {
  return scope.kind === 'ALL' ? 'ALL' : `REGISTRY#${scope.registryId}`;
}

/**
 * The unsubscribes table (`UnsubscribesTable`: `emailHash`, `scope`; docs/data-model.md). Its
 * own table, so nothing else writes it: the directory feed overwrites customers'
 * `notificationsOptOut` with the shop's data, and an unsubscribe must outlive that.
 * A put conditional on the key: the first time is kept, a repeat changes nothing.
 */
export class DynamoDbUnsubscribes implements UnsubscribeRegister {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(unsubscribe: Unsubscribe): Promise<'RECORDED' | 'ALREADY'> {
    const { scope } = unsubscribe;
    const written = await conditionHeld(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            emailHash: { S: unsubscribe.addressHash },
            scope: { S: unsubscribeScopeKey(scope) },
            ...(scope.kind === 'REGISTRY' ? { registryId: { S: scope.registryId } } : {}),
            unsubscribedAt: { S: unsubscribe.at },
            via: { S: unsubscribe.via },
          },
          ConditionExpression: 'attribute_not_exists(emailHash)',
        }),
      ),
    );
    return written ? 'RECORDED' : 'ALREADY';
  }
}
