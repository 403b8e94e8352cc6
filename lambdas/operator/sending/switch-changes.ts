import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendOperatorAct, latestOperatorActs, OperatorActPartition } from '../../audit/audit-table/operator-acts';

/** One flip of the kill switch by an operator, as the audit table keeps it. */
export interface SwitchChange {
  readonly action: 'PAUSE' | 'RESUME';
  /** The caller's IAM ARN, as the function URL verified it. */
  readonly by: string;
  readonly at: string;
  /** What the parameter held before (`true`, `false`, or whatever someone typed with the AWS CLI). */
  readonly before: string;
  /** Why, in the operator's words, if they gave it. */
  readonly reason?: string;
}

/** Where the kill switch's changes are recorded, newest first when read. */
export interface SwitchChanges {
  record(change: SwitchChange): Promise<void>;
  latest(limit: number): Promise<SwitchChange[]>;
}

/**
 * The kill switch's changes in the audit table (`pk` `SENDING`, `sk` `CHANGE#<at>#<uuid>`):
 * one item per `sending pause|resume`, never overwritten, read newest first with one `Query`.
 * SSM's own parameter history names the operator function's role, never the person.
 */
export class DynamoDbSwitchChanges implements SwitchChanges {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(change: SwitchChange): Promise<void> {
    await appendOperatorAct(this.client, this.tableName, OperatorActPartition.SENDING, change.at, { ...change });
  }

  async latest(limit: number): Promise<SwitchChange[]> {
    const items = await latestOperatorActs(this.client, this.tableName, OperatorActPartition.SENDING, limit);
    return items.map((item) => ({
      action: item.action as SwitchChange['action'],
      by: String(item.by),
      at: String(item.at),
      before: String(item.before),
      ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    }));
  }
}
