import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MailedAddresses } from '../ports/mailed-addresses';

/**
 * Asks the ledger's `byAddress` index (partition `recipientAddressHash`, docs/data-model.md)
 * for one row of an address, counting only (`Select: COUNT`, so nothing of the row is read:
 * half a read unit). Every email we send or import is a row there before it leaves, so a genuine
 * link always finds one; erasure keeps the hash, so an erased person can still unsubscribe.
 */
export class DynamoDbMailedAddresses implements MailedAddresses {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly ledgerTable: string,
    private readonly index = 'byAddress',
  ) {}

  async wasMailed(addressHash: string): Promise<boolean> {
    const { Count = 0 } = await this.client.send(
      new QueryCommand({
        TableName: this.ledgerTable,
        IndexName: this.index,
        KeyConditionExpression: 'recipientAddressHash = :h',
        ExpressionAttributeValues: { ':h': { S: addressHash } },
        Select: 'COUNT',
        Limit: 1,
      }),
    );
    return Count > 0;
  }
}
