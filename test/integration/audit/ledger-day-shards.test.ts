import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { DynamoDbLedgerAudit, LEDGER_INDEXES } from '../../../lambdas/audit/dynamodb-ledger-audit';
import { sweepIncident } from '../../../lambdas/audit/sweep-incident';
import { importSendLog } from '../../../lambdas/imports/send-log/import-send-log';
import type { LedgerPage } from '../../../lambdas/audit/ports/audit-ledger';
import { encodeCursor } from '../../../lambdas/platform/dynamodb/cursor';
import { DynamoDbNoticeLedger } from '../../../lambdas/notices/ledger-table/notice-ledger';
import { NoticeOutcome, OUR_SENDER } from '../../../lambdas/notices/ledger-entry';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld, sendLogLine, type AuditWorld } from './audit-world';
import { seedIncidentDirectory } from './seed-incident';

const DAY = '2026-02-10';
const NEXT_DAY = '2026-02-11';
const at = (day: string, hh: number, mm: number) => `${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`;
/** The incident's window: from 06:00 on DAY to 06:00 on NEXT_DAY. */
const WINDOW = { windowStart: at(DAY, 6, 0), windowEnd: at(NEXT_DAY, 6, 0) };

/**
 * docs/data-model.md, "The ledger's day index": rows written before the day shards carry
 * `decidedDay` (the `byDecidedDay` index), rows written since `decidedDayShard` (the
 * `byDecidedDayShard` index, 32 a day). The audit's day reads and an incident's sweep find both.
 */
describe("a day's ledger rows, written before and after the day shards (DynamoDB Local)", () => {
  let clients: AwsClients;
  let world: AuditWorld;
  let ledger: DynamoDbLedgerAudit;
  /** Every row of DAY and NEXT_DAY by id, with when it was decided and whether it has the old shape. */
  const rows = new Map<string, { readonly decidedAt: string; readonly legacy: boolean }>();

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await seedIncidentDirectory(world);
    ledger = new DynamoDbLedgerAudit(clients.documentClient, world.tables.ledger);
    const to = (i: number) => ({ recipientAddress: world.address(`r${i}`), recipientAddressHash: addressHash(world.address(`r${i}`)) });

    // Before: six rows of the old shape in the window, one before it.
    for (const [i, decidedAt] of [at(DAY, 5, 0), at(DAY, 7, 0), at(DAY, 9, 30), at(DAY, 12, 0), at(DAY, 12, 0), at(DAY, 18, 45), at(NEXT_DAY, 1, 0)].entries()) {
      const noticeId = `evt#old-${i}`;
      await world.putNotice(noticeId, { eventId: `old-${i}`, registryId: 'reg-ann', decidedAt, sentAt: decidedAt, decidedDay: decidedAt.slice(0, 10), ...to(i) });
      rows.set(noticeId, { decidedAt, legacy: true });
    }
    // After, by the real writers: the notify function's ledger (claims settled SENT, a BLOCKED
    // decision that names no address) and a send-log import.
    const notices = new DynamoDbNoticeLedger({ client: clients.dynamodb, tableName: world.tables.ledger, retentionDays: 30 });
    for (let i = 0; i < 14; i += 1) {
      const decidedAt = at(i < 11 ? DAY : NEXT_DAY, i < 11 ? 6 + i : i - 10, 15);
      const noticeId = `evt#new-${i}`;
      await notices.claim({ noticeId, eventId: `new-${i}`, registryId: 'reg-ann', outcome: NoticeOutcome.SENDING, decidedAt, sender: OUR_SENDER, ...to(100 + i) });
      await notices.markSent(noticeId, `ses-${i}`, decidedAt);
      rows.set(noticeId, { decidedAt, legacy: false });
    }
    await notices.recordDecision({ noticeId: 'evt#blocked', eventId: 'blocked', registryId: 'reg-ghost', outcome: NoticeOutcome.BLOCKED, reason: 'NO_SUCH_REGISTRY', decidedAt: at(DAY, 10, 5), sender: OUR_SENDER });
    rows.set('evt#blocked', { decidedAt: at(DAY, 10, 5), legacy: false });
    const imported = Array.from({ length: 5 }, (_, i) => at(DAY, 20, 10 * i));
    const report = await importSendLog(
      imported.map((sentAt, i) => sendLogLine({ sourceNoticeId: `n-${i}`, sentAt, recipientAddress: world.address(`i${i}`), registryId: 'reg-ann', purchaseId: `p-${i}` })),
      world.imports,
      { now: () => new Date() },
    );
    expect(report.accepted).toBe(5);
    imported.forEach((decidedAt, i) => rows.set(`imp#legacy-crm#n-${i}`, { decidedAt, legacy: false }));
    // One of the new shape after the window.
    await world.putNotice('evt#late', { eventId: 'late', registryId: 'reg-ann', decidedAt: at(NEXT_DAY, 7, 0), ...to(999) });
    rows.set('evt#late', { decidedAt: at(NEXT_DAY, 7, 0), legacy: false });
  }, 120_000);

  afterAll(() => clients.destroy());

  const idsOn = (day: string, filter: (r: { decidedAt: string; legacy: boolean }) => boolean = () => true) =>
    [...rows].filter(([, r]) => r.decidedAt.startsWith(day) && filter(r)).map(([id]) => id).sort();

  /** Every page of a day from `cursor` on, `limit` rows a page. */
  async function allPages(query: Parameters<DynamoDbLedgerAudit['rowsOfDay']>[0], limit: number, cursor?: string): Promise<LedgerPage[]> {
    const pages: LedgerPage[] = [];
    do {
      const page = await ledger.rowsOfDay(query, limit, cursor);
      pages.push(page);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return pages;
  }

  it('files the new rows under 32 shards of their day and no old day key, and the old rows under the day alone', async () => {
    const item = async (noticeId: string) =>
      (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId } }))).Item;

    // Act
    const shards = new Set<string>();
    for (const id of idsOn(DAY, (r) => !r.legacy)) {
      const row = await item(id);
      expect(row, id).not.toHaveProperty('decidedDay');
      expect(row?.decidedDayShard, id).toMatch(new RegExp(`^${DAY}#(0\\d|1\\d|2\\d|3[01])$`));
      shards.add(String(row?.decidedDayShard));
    }
    const old = await item('evt#old-1');

    // Assess: spread (17 rows over more than a few shards), and the old row as it was.
    expect(shards.size).toBeGreaterThan(5);
    expect(old).toMatchObject({ decidedDay: DAY });
    expect(old).not.toHaveProperty('decidedDayShard');
  });

  it("reads a day's rows of both shapes, each once, a page at a time, each page in decidedAt order", async () => {
    // Act
    const pages = await allPages({ day: DAY }, 4);

    // Assess
    const ids = pages.flatMap((p) => p.rows.map((r) => r.noticeId));
    expect([...ids].sort()).toEqual(idsOn(DAY));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      const times = page.rows.map((r) => r.decidedAt);
      expect(times).toEqual([...times].sort());
    }
    // At most `limit` rows a page, however many of the 33 partitions are still open.
    expect(Math.max(...pages.map((p) => p.rows.length))).toBeLessThanOrEqual(4);
    expect(pages.reduce((n, p) => n + p.scanned, 0)).toBe(ids.length);
  });

  it('reads only the window and the sender asked for, in both shapes', async () => {
    // Act
    const window = await allPages({ day: DAY, from: at(DAY, 6, 0), to: at(DAY, 12, 0) }, 100);
    const imported = await allPages({ day: DAY, sender: 'import:legacy-crm' }, 100);

    // Assess
    const inWindow = (r: { decidedAt: string }) => r.decidedAt >= at(DAY, 6, 0) && r.decidedAt <= at(DAY, 12, 0);
    expect(window.flatMap((p) => p.rows.map((r) => r.noticeId)).sort()).toEqual(idsOn(DAY, inWindow));
    expect(idsOn(DAY, inWindow).some((id) => rows.get(id)!.legacy)).toBe(true);
    expect(imported.flatMap((p) => p.rows.map((r) => r.noticeId)).sort()).toEqual(idsOn(DAY).filter((id) => id.startsWith('imp#')));
  });

  it('resumes a cursor saved by a sweep before the shards: the old index from where it stopped, then every shard', async () => {
    // Prepare: what rowsOfDay returned before the shards, after the first two rows of the day.
    const before = await clients.documentClient.send(
      new QueryCommand({
        TableName: world.tables.ledger,
        IndexName: LEDGER_INDEXES.byDecidedDay,
        KeyConditionExpression: 'decidedDay = :day',
        ExpressionAttributeValues: { ':day': DAY },
        Limit: 2,
      }),
    );
    const read = (before.Items ?? []).map((item) => String(item.noticeId));
    expect(read).toHaveLength(2);

    // Act
    const pages = await allPages({ day: DAY }, 5, encodeCursor(before.LastEvaluatedKey));

    // Assess
    expect(pages.flatMap((p) => p.rows.map((r) => r.noticeId)).sort()).toEqual(idsOn(DAY).filter((id) => !read.includes(id)));
  });

  it("sweeps an incident over both days, stopping and resuming, and attaches every row of its window of either shape once", async () => {
    // Prepare
    const incident = await declareIncident({ description: 'the day shards, before and after', ...WINDOW }, world.deps.incidents, new Date());
    const budget = { maxRows: 5, pageSize: 8, hasTime: () => true };

    // Act
    let runs = 0;
    let swept = 0;
    for (let done = false; !done; runs += 1) {
      const stored = (await world.deps.incidents.get(incident.incidentId))!;
      const result = await sweepIncident(stored, await world.deps.incidents.list(), world.deps, budget);
      swept += result.rows;
      done = result.done;
      expect(runs).toBeLessThan(20);
    }

    // Assess
    const inWindow = (r: { decidedAt: string }) => r.decidedAt >= WINDOW.windowStart && r.decidedAt < WINDOW.windowEnd;
    const expected = [...idsOn(DAY, inWindow), ...idsOn(NEXT_DAY, inWindow)].sort();
    expect(expected.filter((id) => rows.get(id)!.legacy)).toHaveLength(6);
    expect(runs).toBeGreaterThan(2);
    expect(swept).toBe(expected.length);
    const members: string[] = [];
    let after: string | undefined;
    do {
      const page = await world.deps.incidents.memberPage(incident.incidentId, after, 100);
      members.push(...page.members.map((m) => m.noticeId));
      after = page.cursor;
    } while (after !== undefined);
    expect(members.sort()).toEqual(expected);
    expect((await world.deps.incidents.get(incident.incidentId))!.sweep).toMatchObject({ done: true, rows: expected.length });
  }, 120_000);
});
