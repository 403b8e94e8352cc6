import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendOperatorAct, latestOperatorActs, OperatorActPartition } from '../../audit/audit-table/operator-acts';

/** One `notice show --reveal` that showed addresses in the clear: who, why, when, which notices (never the address or the query). */
export interface Reveal {
  /** The caller's IAM ARN, as the function URL verified it. */
  readonly by: string;
  /** The person behind it, when the identity names one (caller.ts `personOf`). */
  readonly person?: string;
  readonly at: string;
  /** Why, in the operator's words (`--reason`, 1-500 characters); absent only on reveals recorded before it was asked. */
  readonly reason?: string;
  /** The notices whose recipient was shown. */
  readonly noticeIds: readonly string[];
}

/** Where reveals are recorded, newest first when read. */
export interface RevealRecords {
  record(reveal: Reveal): Promise<void>;
  latest(limit: number): Promise<Reveal[]>;
}

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
    await appendOperatorAct(this.client, this.tableName, OperatorActPartition.REVEALS, reveal.at, {
      by: reveal.by,
      at: reveal.at,
      noticeIds: [...reveal.noticeIds],
      ...(reveal.person ? { person: reveal.person } : {}),
      ...(reveal.reason !== undefined ? { reason: reveal.reason } : {}),
    });
  }

  async latest(limit: number): Promise<Reveal[]> {
    const items = await latestOperatorActs(this.client, this.tableName, OperatorActPartition.REVEALS, limit);
    return items.map((item) => ({
      by: String(item.by),
      at: String(item.at),
      noticeIds: (item.noticeIds as string[] | undefined) ?? [],
      ...(typeof item.person === 'string' ? { person: item.person } : {}),
      ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    }));
  }
}
