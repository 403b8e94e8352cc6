import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditKeys, incidentPartitions, layoutOf, type IncidentLayout } from './keys';

type Item = Record<string, unknown>;

/**
 * The key layout of each incident (keys.ts), read from its header once per instance: a
 * layout never changes once declared, so the sender and the feedback function pay one
 * `GetItem` per incident per execution environment, not one per apology. An incident without
 * a header reads as legacy (nothing of a declared incident is ever written before its header),
 * and that answer is kept only {@link ABSENT_FOR_MS}: a header may be written a moment later.
 */
export class IncidentLayouts {
  // Promises, so the records of one batch, asking at once, share one read.
  readonly #known = new Map<string, { layout: Promise<IncidentLayout>; until: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  of(incidentId: string): Promise<IncidentLayout> {
    const known = this.#known.get(incidentId);
    if (known && known.until > this.nowMs()) return known.layout;
    const entry = { layout: this.#read(incidentId), until: Number.POSITIVE_INFINITY };
    this.#known.set(incidentId, entry);
    return entry.layout;
  }

  async #read(incidentId: string): Promise<IncidentLayout> {
    let Item: Record<string, unknown> | undefined;
    try {
      ({ Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: AuditKeys.incident(incidentId), ConsistentRead: true })));
    } catch (error) {
      this.#known.delete(incidentId);
      throw error;
    }
    const entry = this.#known.get(incidentId);
    if (!Item && entry) entry.until = this.nowMs() + ABSENT_FOR_MS;
    return layoutOf(Item);
  }
}

/** How long "no such incident" is believed. */
export const ABSENT_FOR_MS = 10_000;

/** Shard partitions queried side by side when a page runs past the end of one. */
const LOOKAHEAD = 8;

/**
 * One page of an incident's items of one kind (`ROW#`, `TO#`, `APOLOGY#`) in key order
 * across its partitions: shard after shard, each in sort-key order. The cursor is the sort
 * key of the last item for a legacy incident (as it always was, so a plan saved before the
 * shards resumes), and `<nn>/<sort key>` (`<nn>/` for the start of shard nn) for a sharded
 * one. When a shard runs out before the page is full, the next shards are read side by side
 * (a small incident is a few round trips, not one per shard).
 */
export async function incidentPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  layout: IncidentLayout,
  prefix: string,
  after: string | undefined,
  limit: number,
): Promise<{ items: Item[]; cursor?: string }> {
  const partitions = incidentPartitions(incidentId, layout);
  const query = async (shard: number, start: string | undefined, max: number) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions[shard], ':prefix': prefix },
        ConsistentRead: true,
        Limit: max,
        ...(start ? { ExclusiveStartKey: { pk: partitions[shard], sk: start } } : {}),
      }),
    );
  if (layout.shards === 0) {
    const out = await query(0, after, limit);
    const sk = out.LastEvaluatedKey?.sk;
    return { items: out.Items ?? [], ...(typeof sk === 'string' ? { cursor: sk } : {}) };
  }
  const parsed = after === undefined ? undefined : /^(\d+)\/(.*)$/.exec(after);
  let shard = parsed ? Number(parsed[1]) : 0;
  let start: string | undefined = parsed?.[2] || undefined;
  const items: Item[] = [];
  const at = (s: number, sk: string) => `${String(s).padStart(2, '0')}/${sk}`;
  while (shard < partitions.length) {
    // Inside a shard, that shard; at a shard's start, several shards at once (the first may end short).
    const width = start === undefined ? Math.min(LOOKAHEAD, partitions.length - shard) : 1;
    const remaining = limit - items.length;
    const outs = await Promise.all(Array.from({ length: width }, (_, i) => query(shard + i, i === 0 ? start : undefined, remaining)));
    for (const out of outs) {
      const got = out.Items ?? [];
      const room = limit - items.length;
      if (got.length > room) {
        items.push(...got.slice(0, room));
        return { items, cursor: at(shard, String(items.at(-1)!.sk)) };
      }
      items.push(...got);
      const more = out.LastEvaluatedKey?.sk;
      if (typeof more === 'string') {
        // The shard has more (or DynamoDB stopped at its 1 MB): carry on in it.
        if (items.length >= limit) return { items, cursor: at(shard, more) };
        start = more;
        break;
      }
      shard += 1;
      start = undefined;
      if (items.length >= limit) return { items, ...(shard < partitions.length ? { cursor: at(shard, '') } : {}) };
    }
  }
  return { items };
}
