import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One `notice show --reveal` that showed addresses in the clear: who, when, which notices (never the address or the query). */
export interface Reveal {
  /** The caller's IAM ARN, as the function URL verified it. */
  readonly by: string;
  /** The person behind it, when the identity names one (caller.ts `personOf`). */
  readonly person?: string;
  readonly at: string;
  /** The notices whose recipient was shown. */
  readonly noticeIds: readonly string[];
}

/** Where reveals are recorded, newest first when read. */
export interface RevealRecords {
  record(reveal: Reveal): Promise<void>;
  latest(limit: number): Promise<Reveal[]>;
}

/** The partition of reveals in the audit table, beside the other operator acts it records. */
const PARTITION = 'REVEALS';

/**
 * Reveals in the audit table (`pk` `REVEALS`, `sk` `REVEAL#<at>#<uuid>`): one item per reveal,
 * never overwritten, read newest first with one `Query` (docs/operator.md, "Revealing an
 * address"). The query is not kept: it may be the address itself.
 */
export class DynamoDbRevealRecords implements RevealRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(reveal: Reveal): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: PARTITION, sk: `REVEAL#${reveal.at}#${randomUUID()}`, by: reveal.by, at: reveal.at, noticeIds: [...reveal.noticeIds], ...(reveal.person ? { person: reveal.person } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async latest(limit: number): Promise<Reveal[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reveal)',
        ExpressionAttributeValues: { ':pk': PARTITION, ':reveal': 'REVEAL#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({
      by: String(item.by),
      at: String(item.at),
      noticeIds: (item.noticeIds as string[] | undefined) ?? [],
      ...(typeof item.person === 'string' ? { person: item.person } : {}),
    }));
  }
}
