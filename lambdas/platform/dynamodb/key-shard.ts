/**
 * The shard (0 to `count` - 1) a key is spread to, from a stable value its writer already has
 * (a notice id, an address hash as stored): the same value always lands in the same shard, so
 * a reader finds it again without a lookup. Used for partition keys written once per notice,
 * apology or SES event, so that no one partition takes more than its share of the writes
 * (docs/incident-scale.md, "Keys written per apology").
 *
 * Hand-written because it must be cheap and needs no secrecy: FNV-1a over the UTF-16 code
 * units, then MurmurHash3's 32-bit finaliser so that values differing in their last
 * characters (`evt#…1`, `evt#…2`) spread over every shard. SHA-256 from node:crypto would do
 * as well at about 2 µs a key; this is about a tenth of that.
 *
 * @example
 * keyShard('evt#0f6b…', 32) // 0-31, always the same for this id
 */
export function keyShard(value: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`keyShard: count must be a positive integer, got ${count}`);
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % count;
}
