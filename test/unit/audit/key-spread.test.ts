import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditKeys, CURRENT_LAYOUT, incidentPartitions } from '../../../lambdas/audit/audit-table/keys';
import { keyShard } from '../../../lambdas/platform/dynamodb/key-shard';
import { pendingStateFor } from '../../../lambdas/notices/ledger-table/audit-shards';
import { DAY_SHARD_COUNT, dayShardFor, dayShardKeys } from '../../../lambdas/notices/ledger-table/day-shards';

const MILLION = 1_000_000;
/** Half a partition's 1,000 write units a second: what no key may take (issue 18). */
const LIMIT_PER_KEY = 500;

/**
 * A million address hashes as the ledger stores them (64 lower-case hex digits: a SHA-256,
 * or a keyed hash, of an address) from one SHAKE-256 stream: deterministic, and as uniform as
 * real digests, at a fraction of a million SHA-256 calls' time.
 */
function addressHashes(count: number): string[] {
  const stream = createHash('shake256', { outputLength: 32 * count }).update('issue 18: a million recipients').digest('hex');
  return Array.from({ length: count }, (_, i) => stream.slice(i * 64, i * 64 + 64));
}

/** Our notice ids and an imported send log's, the structured kind (`imp#<source>#<id>`, sequential ids). */
function noticeIds(count: number, hashes: readonly string[]): string[] {
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? `evt#${hashes[i]!.slice(0, 8)}-${hashes[i]!.slice(8, 12)}-4${hashes[i]!.slice(13, 16)}` : `imp#legacy-crm#x-${i}`));
}

/** Items per partition key. */
function perPartition(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The busiest partition's share of the items. */
function busiestShare(counts: Map<string, number>, total: number): number {
  return Math.max(...counts.values()) / total;
}

describe('the keys written per apology, notice and SES event, over a generated million', () => {
  const hashes = addressHashes(MILLION);
  const notices = noticeIds(MILLION, hashes);
  const incidentId = 'inc-20261207-a1b2c3';

  it('spread one incident’s claims, counters and addresses over its 32 partitions so that at 500 sends/s none takes 500 writes a second', () => {
    // Act
    const claims = perPartition(hashes.map((h) => AuditKeys.apology(incidentId, h, CURRENT_LAYOUT).pk));

    // Assess: every partition used, none above 1/32 by more than 2 %.
    const partitions = incidentPartitions(incidentId, CURRENT_LAYOUT);
    expect([...claims.keys()].sort()).toEqual(partitions);
    const share = busiestShare(claims, MILLION);
    expect(share).toBeLessThan((1 / 32) * 1.02);
    // An address's plan item and counter are in its claim's partition (a settle and its count are one transaction there).
    for (const h of hashes.slice(0, 10_000)) {
      const pk = AuditKeys.apology(incidentId, h, CURRENT_LAYOUT).pk;
      expect([AuditKeys.recipient(incidentId, h, CURRENT_LAYOUT).pk, AuditKeys.counterOf(incidentId, h, CURRENT_LAYOUT).pk]).toEqual([pk, pk]);
    }
    // docs/incident-scale.md, "Keys written per apology": a claim's partition takes the claim (1),
    // the settle (2: a transaction), the counter in the same transaction (2), and SES's Send and
    // Delivery events (1 + 1): 7 write units an apology; the counter item alone takes 2.
    const sendsPerSecond = 500;
    expect(sendsPerSecond * 7 * share).toBeLessThan(LIMIT_PER_KEY);
    // Planning writes each address item twice (fold, decision) at up to 5,000 addresses a second.
    expect(5_000 * 2 * share).toBeLessThan(LIMIT_PER_KEY);
  }, 30_000);

  it("spread an incident's rows by notice id, so attaching 3,700 rows a second (16 row-audit workers) keeps every partition under 500", () => {
    const rows = perPartition(notices.map((n) => AuditKeys.member(incidentId, n, CURRENT_LAYOUT).pk));
    expect(rows.size).toBe(32);
    expect(busiestShare(rows, MILLION)).toBeLessThan((1 / 32) * 1.02);
    expect(3_700 * busiestShare(rows, MILLION)).toBeLessThan(LIMIT_PER_KEY);
  }, 30_000);

  it("keep the ledger's pending-audit index partitions (PENDING#00-15) under 500 at 500 notices/s, 4,000 imported lines/s and the row audit's 3,700 marks/s", () => {
    const pending = perPartition(hashes.map((h) => pendingStateFor(h)));
    expect(pending.size).toBe(16);
    const share = busiestShare(pending, MILLION);
    // A notice's row enters the index settled SENT and is written there again by its two SES events.
    expect(500 * 3 * share).toBeLessThan(LIMIT_PER_KEY);
    // An imported row enters it once; the audit's mark takes each row out once (the two may overlap).
    expect((4_000 + 3_700) * share).toBeLessThan(LIMIT_PER_KEY);
  }, 30_000);

  it("spread a day's ledger rows over the byDecidedDayShard index's 32 partitions, so that 500 notices/s (5 index writes each), an import and the audit's marks at once stay under 500", () => {
    // Act: a million rows of one day, ours and imported (half each), and a few BLOCKED decisions that name no address.
    const day = '2026-12-07';
    const decidedAt = `${day}T10:00:00.000Z`;
    const keys = perPartition(notices.map((n, i) => dayShardFor(decidedAt, i % 100 === 99 ? undefined : hashes[i], n)));

    // Assess: every shard of the day used, none above 1/32 by more than 2 %.
    expect([...keys.keys()].sort()).toEqual(dayShardKeys(day));
    expect(DAY_SHARD_COUNT).toBe(32);
    const share = busiestShare(keys, MILLION);
    expect(share).toBeLessThan((1 / 32) * 1.02);
    // docs/incident-scale.md, "Keys written per apology": the index projects every attribute, so every
    // write of a row writes it: the claim, the settle (SENT), SES's Send and Delivery, the audit's mark: 5.
    // One partition a day took 500 × 5 = 2,500 writes a second.
    const notifyWrites = 500 * 5;
    expect(notifyWrites).toBeGreaterThan(LIMIT_PER_KEY);
    expect(notifyWrites * share).toBeLessThan(LIMIT_PER_KEY); // ≈ 80
    // With a send-log import (4,000 rows/s, one write each) and the row audit's 3,700 marks/s at the same time.
    expect((notifyWrites + 4_000 + 3_700) * share).toBeLessThan(LIMIT_PER_KEY); // ≈ 325
  }, 30_000);

  it('give each notice its own partition for which incident apologises for it, so a plan claiming 5,000 notices a second writes no key twice a second', () => {
    // Act
    const markers = perPartition(notices.map((n) => AuditKeys.apologisedNotice(n).pk));

    // Assess: one partition per notice id; a plan writes its marker once (claim), a new plan of the
    // same incident at most once more (claim again or release): 2 writes per key per plan.
    const most = [...markers.values()].reduce((a, b) => Math.max(a, b), 0);
    expect(markers.size).toBe(MILLION);
    expect(most).toBe(1);
    expect(2 * most).toBeLessThan(LIMIT_PER_KEY);
  }, 30_000);

  it('shard by a stable function of the value: the same value always, every shard reached, whatever the count', () => {
    expect(keyShard('evt#0f6b', 32)).toBe(keyShard('evt#0f6b', 32));
    for (const count of [1, 2, 7, 16, 32, 64]) {
      const seen = new Set(notices.slice(0, 10_000).map((n) => keyShard(n, count)));
      expect(seen.size).toBe(count);
      expect(Math.max(...seen)).toBe(count - 1);
    }
    expect(() => keyShard('x', 0)).toThrow(/count must be a positive integer, got 0/);
  });
});
