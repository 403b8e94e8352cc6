import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApologisedNotices } from '../ports/apologised-notices';
import { AuditKeys } from './keys';
import { batchGetDocuments } from '../../platform/dynamodb/document';
import { conditionHeld, conditionalWrite, expiresAfterDays } from '../../platform/dynamodb/helpers';

/**
 * One item per notice an incident's campaign apologises for, in the audit table:
 * `APOLOGISED#<noticeId>` / `APOLOGISED` (keys.ts) with the holding `incidentId`, the address
 * hash, when it was claimed, and an expiry with the ledger's retention (the notice's row is gone
 * by then). The claim is a put conditional on "absent, or this incident's", so two plans
 * claiming one notice at once leave it with one of them; the loser learns the holder from its
 * failed condition (`ALL_OLD`), without a read. Reads are `BatchGetItem`s of 100.
 */
export class DynamoDbApologisedNotices implements ApologisedNotices {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async holders(noticeIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(noticeIds)];
    const items = await batchGetDocuments(this.client, this.tableName, unique.map(AuditKeys.apologisedNotice));
    return new Map(items.map((i) => [String(i.pk).slice('APOLOGISED#'.length), String(i.incidentId)]));
  }

  async claim(incidentId: string, addressHash: string, noticeIds: readonly string[], at: string): Promise<Map<string, string>> {
    const expiresAt = expiresAfterDays(this.now().getTime(), this.retentionDays);
    const lost = await Promise.all(
      [...new Set(noticeIds)].map(async (noticeId) => {
        const write = await conditionalWrite(
          this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...AuditKeys.apologisedNotice(noticeId), incidentId, addressHash, claimedAt: at, expiresAt },
              ConditionExpression: 'attribute_not_exists(pk) OR incidentId = :incident',
              ExpressionAttributeValues: { ':incident': incidentId },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return write.written ? undefined : ([noticeId, String(write.existing?.incidentId ?? 'another incident')] as const);
      }),
    );
    return new Map(lost.filter((l) => l !== undefined));
  }

  async release(incidentId: string, noticeIds: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(noticeIds)].map((noticeId) =>
        conditionHeld(
          this.client.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: AuditKeys.apologisedNotice(noticeId),
              ConditionExpression: 'incidentId = :incident',
              ExpressionAttributeValues: { ':incident': incidentId },
            }),
          ),
        ),
      ),
    );
  }
}
