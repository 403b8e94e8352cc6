import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecipientErasure } from '../../directory/ports/directory-store';
import { queryAll } from '../../platform/dynamodb/document';
import { conditionHeld } from '../../platform/dynamodb/helpers';

export interface DynamoDbLedgerErasureOptions {
  readonly client: DynamoDBDocumentClient;
  /** `LEDGER_TABLE` */
  readonly tableName: string;
  /**
   * The ledger's index of notices by `recipientAddressHash` (keys only or narrower).
   *
   * @default 'byAddress'
   */
  readonly addressIndex?: string;
}

/**
 * Removes an erased customer's address from the ledger: the rows mailed to one of their
 * address hashes (index `byAddress`), each updated only if it is theirs or nobody's
 * (`recipientCustomerId`), so another customer who shares the address keeps their rows whole.
 * `recipientAddressHash` stays: duplicates and suppressions are still recognised, and the
 * audit can still tell who was mailed, by hash. An apology is never planned to a row without
 * an address. A row in doubt loses its stored purchase message too (the purchaser's name and
 * gift message, kept for an operator's re-send): an erased recipient is never re-sent to.
 */
export class DynamoDbLedgerErasure implements RecipientErasure {
  constructor(private readonly options: DynamoDbLedgerErasureOptions) {}

  async eraseRecipient(customerId: string, addressHashes: readonly string[]): Promise<number> {
    let changed = 0;
    for (const hash of addressHashes) {
      const keys = await queryAll(this.options.client, {
        TableName: this.options.tableName,
        IndexName: this.options.addressIndex ?? 'byAddress',
        KeyConditionExpression: 'recipientAddressHash = :h',
        ExpressionAttributeValues: { ':h': hash },
        ProjectionExpression: 'noticeId',
      });
      for (const { noticeId } of keys) {
        const erased = await conditionHeld(
          this.options.client.send(
            new UpdateCommand({
              TableName: this.options.tableName,
              Key: { noticeId },
              UpdateExpression: 'REMOVE recipientAddress, purchaseMessage SET recipientErased = :true',
              ConditionExpression:
                'attribute_exists(noticeId) AND attribute_exists(recipientAddress) AND (attribute_not_exists(recipientCustomerId) OR recipientCustomerId = :c)',
              ExpressionAttributeValues: { ':true': true, ':c': customerId },
            }),
          ),
        );
        if (erased) changed += 1;
      }
    }
    return changed;
  }
}
