import { keyShard } from '../../platform/dynamodb/key-shard';

/**
 * A ledger row is filed by the UTC day it was decided on, for an incident's sweep (one day at a
 * time), under `decidedDayShard = <day>#<nn>`: the partition key of the `byDecidedDayShard`
 * index, one of {@link DAY_SHARD_COUNT} per day, from the hash of the address the row went to
 * (its notice id when it names none). Every write of a row writes that index (projection ALL),
 * about 5 per notice, so one partition per day took them all; 32 keep each under half a
 * partition's limit with notices, an import and the audit's marks at full rate at once
 * (docs/incident-scale.md, "Keys written per apology").
 *
 * By address, as the audit shards are (audit-shards.ts): the rows that could be duplicates of one
 * another share an address, so they are in one shard, read in `decidedAt` order, and the sweep
 * still meets "the first notice" first.
 *
 * Rows written before the shards carry `decidedDay = <day>` instead (the `byDecidedDay` index);
 * readers ask both until those rows have expired (docs/data-model.md, "The ledger's day index").
 */

/** How many shards a day's rows are spread over. Writers and readers must agree: changing it strands rows. */
export const DAY_SHARD_COUNT = 32;

/** The attribute (and the `byDecidedDayShard` index's partition key) rows are filed under. */
export const DAY_SHARD_ATTRIBUTE = 'decidedDayShard';

/** The attribute of rows written before the shards (the `byDecidedDay` index's partition key): read, never written. */
export const LEGACY_DAY_ATTRIBUTE = 'decidedDay';

/**
 * The `decidedDayShard` of a row decided at `decidedAt` (ISO 8601, UTC) and mailed to the
 * address with this hash; a row that names no address is spread by its notice id.
 *
 * @example
 * dayShardFor('2026-12-07T10:00:00.000Z', '0a3f…', 'evt#…') // '2026-12-07#05'
 */
export function dayShardFor(decidedAt: string, addressHash: string | undefined, noticeId: string): string {
  return dayShardKey(decidedAt.slice(0, 10), keyShard(addressHash || noticeId, DAY_SHARD_COUNT));
}

/** The partition key of one shard of a day (`YYYY-MM-DD`). */
export function dayShardKey(day: string, shard: number): string {
  return `${day}#${String(shard).padStart(2, '0')}`;
}

/**
 * Every `decidedDayShard` of a day (`<day>#00` to `<day>#31`), shard 00 first: what a reader of the day queries (with the
 * legacy `decidedDay` partition).
 */
export function dayShardKeys(day: string): string[] {
  return Array.from({ length: DAY_SHARD_COUNT }, (_, shard) => dayShardKey(day, shard));
}
