import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsAuditShardQueue } from '../../../lambdas/audit/queues/sqs-audit-shard-queue';
import { auditOneShard, type ShardAuditDeps, type ShardAuditReport } from '../../../lambdas/audit/audit-one-shard';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { sqs } from '../../../lambdas/platform/clients/sqs';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { PENDING_STATES, pendingStateFor } from '../../../lambdas/notices/ledger-table/audit-shards';
import type { AuditLedger } from '../../../lambdas/audit/ports/audit-ledger';
import type { RunLease } from '../../../lambdas/audit/ports/run-lease';
import { rowAuditPipelineFromEnv } from '../../../lambdas/audit/row-audit/pipeline';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld, type AuditWorld } from './audit-world';

/** Registries, owners and notices: per registry one right notice, and some duplicates and wrong ones. */
interface Seeded {
  readonly rows: number;
  readonly wrongByReason: Record<string, number>;
  readonly byVerdict: Record<string, number>;
  /** For each duplicated purchase: the first notice (OK) and the later one (DUPLICATE). */
  readonly duplicates: readonly { readonly first: string; readonly later: string }[];
}

const DECIDED = Date.parse('2025-03-01T10:00:00.000Z');
const at = (seconds: number): string => new Date(DECIDED + seconds * 1000).toISOString();

async function seedRows(world: AuditWorld, registries: number): Promise<Seeded> {
  const duplicates: { first: string; later: string }[] = [];
  let rows = 0;
  let wrong = 0;
  const put = async (noticeId: string, local: string, registryId: string, purchaseId: string, decidedAt: string): Promise<void> => {
    const recipientAddress = world.address(local);
    const recipientAddressHash = addressHash(recipientAddress);
    await world.putNotice(noticeId, {
      decidedAt,
      registryId,
      purchaseId,
      eventId: noticeId.replace(/^evt#/, ''),
      recipientAddress,
      recipientAddressHash,
      // As the notify function files a settled claim: under its address's shard.
      auditState: pendingStateFor(recipientAddressHash),
    });
    rows += 1;
  };
  // Registries seeded side by side (each one's writes in order): under a loaded CI box the
  // sequential seeding alone took most of the test's time.
  const seedOne = async (i: number): Promise<void> => {
    await world.putRegistry(`reg-${i}`, `cus-${i}`);
    await world.putCustomer(`cus-${i}`, `owner-${i}`);
    // The later duplicate is written first, so the index (not the write order) puts them in time order.
    if (i % 3 === 0) {
      await put(`evt#dup-${i}`, `owner-${i}`, `reg-${i}`, `p-${i}`, at(i + 600));
      duplicates.push({ first: `evt#right-${i}`, later: `evt#dup-${i}` });
    }
    await put(`evt#right-${i}`, `owner-${i}`, `reg-${i}`, `p-${i}`, at(i));
    if (i % 4 === 0) {
      await put(`evt#stranger-${i}`, `stranger-${i}`, `reg-${i}`, `p-s${i}`, at(i + 30));
      wrong += 1;
    }
  };
  await Promise.all(Array.from({ length: registries }, (_, i) => seedOne(i)));
  duplicates.sort((a, b) => a.first.localeCompare(b.first));
  return {
    rows,
    duplicates,
    wrongByReason: { NOT_A_PARTICIPANT: wrong, DUPLICATE: duplicates.length },
    byVerdict: { OK: registries, WRONG: wrong + duplicates.length },
  };
}

/** The row-audit worker's own wiring over the world's tables, with every mark counted per row. */
function workerDeps(world: AwsClients, env: Record<string, string>, marks: Map<string, number>, lease?: (state: string) => RunLease): ShardAuditDeps {
  const { deps } = rowAuditPipelineFromEnv({ dynamoDb: world.dynamodb }, env);
  const ledger: AuditLedger = {
    pendingRows: (...args) => deps.ledger.pendingRows(...args),
    noticesToAddress: (query) => deps.ledger.noticesToAddress(query),
    rowsOfDay: (...args) => deps.ledger.rowsOfDay(...args),
    getRow: (noticeId) => deps.ledger.getRow(noticeId),
    markAudited: (noticeId, judgement, when) => {
      marks.set(noticeId, (marks.get(noticeId) ?? 0) + 1);
      return deps.ledger.markAudited(noticeId, judgement, when);
    },
  };
  return { ...deps, ledger, ...(lease ? { shardLease: lease } : {}) };
}

const SETTINGS = { leaseMs: 60_000, safetyMarginMs: 1_000, settleMs: 300_000, maxRows: 1_000_000, concurrency: 8 };

/** What the passes counted together. */
function summed(reports: readonly ShardAuditReport[]): { rows: number; byVerdict: Record<string, number>; wrongByReason: Record<string, number> } {
  const total = { rows: 0, byVerdict: {} as Record<string, number>, wrongByReason: {} as Record<string, number> };
  for (const r of reports) {
    total.rows += r.rows;
    for (const [k, v] of Object.entries(r.byVerdict)) total.byVerdict[k] = (total.byVerdict[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.wrongByReason)) total.wrongByReason[k] = (total.wrongByReason[k] ?? 0) + v;
  }
  return total;
}

describe('the audit of new rows, fanned out by shard (DynamoDB Local, SQS emulator)', () => {
  let clients: AwsClients;

  beforeAll(() => {
    clients = createAwsClients();
  });
  afterAll(() => clients.destroy());

  it('judges each row once when every shard message is delivered three times and the workers run side by side', async () => {
    // Prepare
    const world = await createAuditWorld(clients);
    const seeded = await seedRows(world, 48);
    const marks = new Map<string, number>();
    const deps = workerDeps(clients, world.env, marks);

    // Act: three copies of every shard's message, all at once (overlapping ticks, redeliveries).
    const reports = await Promise.all(
      [...PENDING_STATES, ...PENDING_STATES, ...PENDING_STATES].map((state) => auditOneShard(state, deps, SETTINGS, () => 60_000)),
    );

    // Assess
    expect([...marks.values()].every((n) => n === 1)).toBe(true);
    expect(marks.size).toBe(seeded.rows);
    expect(summed(reports)).toEqual({ rows: seeded.rows, byVerdict: seeded.byVerdict, wrongByReason: seeded.wrongByReason });
    const acquired = reports.filter((r) => r.lease === 'ACQUIRED');
    // A copy that found the lease held did nothing; one that came after the pass found nothing left.
    expect(reports.filter((r) => r.lease === 'HELD').every((r) => r.rows === 0)).toBe(true);
    expect(new Set(acquired.filter((r) => r.rows > 0).map((r) => r.state)).size).toBe(acquired.filter((r) => r.rows > 0).length);
    for (const state of PENDING_STATES) expect((await world.deps.ledger.pendingRows(10, undefined, undefined, state)).rows).toEqual([]);
    // 48 passes side by side against one DynamoDB Local: on a loaded 2-core CI box this took
    // up to 30 s (it once timed out there), so it has twice the project's time.
  }, 60_000);

  it('counts each finding once even when two workers judge the same shard side by side (a lease taken over)', async () => {
    // Prepare: no lease holds anyone back, as if a slow worker outlived its lease.
    const world = await createAuditWorld(clients);
    const seeded = await seedRows(world, 24);
    const marks = new Map<string, number>();
    const open: RunLease = { acquire: async () => true, release: async () => undefined, heldUntil: async () => undefined };
    const deps = workerDeps(clients, world.env, marks, () => open);

    // Act
    const reports = await Promise.all([...PENDING_STATES, ...PENDING_STATES].map((state) => auditOneShard(state, deps, SETTINGS, () => 60_000)));

    // Assess: some rows may be judged twice, but each is counted by the pass whose mark took it out.
    expect(summed(reports)).toEqual({ rows: seeded.rows, byVerdict: seeded.byVerdict, wrongByReason: seeded.wrongByReason });
    expect(marks.size).toBe(seeded.rows);
  });

  it('keeps the first notice to an address the first in time, whatever the concurrency', async () => {
    // Prepare
    const world = await createAuditWorld(clients);
    const seeded = await seedRows(world, 30);
    const deps = workerDeps(clients, world.env, new Map());

    // Act
    await Promise.all(PENDING_STATES.map((state) => auditOneShard(state, deps, { ...SETTINGS, concurrency: 16 }, () => 60_000)));

    // Assess
    const verdict = async (noticeId: string) =>
      (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId } }))).Item;
    for (const { first, later } of seeded.duplicates) {
      expect(await verdict(first), first).toMatchObject({ auditVerdict: 'OK' });
      expect(await verdict(later), later).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'DUPLICATE' });
    }
  });

  it('waits for rows younger than the settle time, and reports how old the oldest waiting row was', async () => {
    // Prepare
    const world = await createAuditWorld(clients);
    await seedRows(world, 6);
    const marks = new Map<string, number>();
    const deps = { ...workerDeps(clients, world.env, marks), now: () => new Date(DECIDED + 200_000) };

    // Act: 200 s after the first notice, with a settle time of 300 s, nothing is old enough yet.
    const early = await Promise.all(PENDING_STATES.map((state) => auditOneShard(state, deps, SETTINGS, () => 60_000)));
    const judgedEarly = marks.size;
    const later = await Promise.all(
      PENDING_STATES.map((state) => auditOneShard(state, { ...deps, now: () => new Date(DECIDED + 3_600_000) }, SETTINGS, () => 60_000)),
    );

    // Assess
    expect(summed(early).rows).toBe(0);
    expect(judgedEarly).toBe(0);
    expect(summed(later).rows).toBe(6 + 2 + 2);
    expect(Math.max(...later.map((r) => r.oldestAgeSeconds ?? 0))).toBe(3_600);
  });

  it('a scheduled run with the audit queue wired queues one message per shard and audits no row itself', async () => {
    // Prepare
    const world = await createAuditWorld(clients);
    await seedRows(world, 3);
    const { QueueUrl: queueUrl = '' } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `audit-shards-${world.domain.split('.')[0]}` }));
    const deps = world.with({ rowAudit: new SqsAuditShardQueue(sqs, queueUrl) });

    // Act
    const report = await runAuditOnce(deps, () => 60_000);

    // Assess
    expect(report.audit).toMatchObject({ shardsQueued: PENDING_STATES.length, rows: 0 });
    const bodies: string[] = [];
    for (let round = 0; round < 5 && bodies.length < PENDING_STATES.length; round += 1) {
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((m) => m.Body ?? ''));
    }
    expect(bodies.map((b) => JSON.parse(b) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      PENDING_STATES.map((state) => ({ kind: 'AUDIT_SHARD', state })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    const stillPending = await Promise.all(PENDING_STATES.map(async (state) => (await world.deps.ledger.pendingRows(10, undefined, undefined, state)).rows.length));
    expect(stillPending.reduce((a, b) => a + b, 0)).toBe(3 + 1 + 1);
  });
});
