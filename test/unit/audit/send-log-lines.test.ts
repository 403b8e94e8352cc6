import { describe, expect, it } from 'vitest';
import { sendLogLineHandler } from '../../../lambdas/imports/send-log/send-log-lines';
import type { SendLogLine } from '../../../lambdas/audit/send-log-line';
import type { ImportedNoticePut, ImportedNoticeStore } from '../../../lambdas/imports/ports/imported-notices';

/** Rows by key as the ledger keeps them (conditional on the key), and the source days recorded. */
class MemoryImports implements ImportedNoticeStore {
  readonly rows = new Map<string, SendLogLine>();
  readonly dayWrites: string[] = [];
  async putIfAbsent(line: SendLogLine): Promise<ImportedNoticePut> {
    const key = `${line.source}#${line.sourceNoticeId}`;
    if (this.rows.has(key)) return { outcome: 'exists' };
    this.rows.set(key, line);
    return { outcome: 'written' };
  }
  async recordSourceDays(source: string, days: readonly string[]): Promise<void> {
    this.dayWrites.push(...days.map((day) => `${source} ${day}`));
  }
}

const line = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    source: 'legacy-crm',
    sourceNoticeId: 'n-1',
    sentAt: '2025-03-01T09:00:00Z',
    recipientAddress: 'anna@example.com',
    registryId: 'r-1',
    purchaseId: 'p-1',
    template: 'gift-bought',
    ...fields,
  });

describe('sendLogLineHandler (send log v1 lines for the S3 import)', () => {
  it('writes a valid line as an imported row, and the same line again changes nothing', async () => {
    // Prepare
    const store = new MemoryImports();
    const handler = sendLogLineHandler(store, () => new Date('2026-12-01T12:00:00Z'));

    // Act
    const first = await handler.handle(line(), 1);
    const again = await handler.handle(line(), 2);

    // Assess
    expect([first, again]).toEqual([{ kind: 'APPLIED' }, { kind: 'UNCHANGED' }]);
    expect([...store.rows.keys()]).toEqual(['legacy-crm#n-1']);
  });

  it('refuses a bad line with every broken field and rule, as import reports them, and writes nothing for it', async () => {
    // Prepare
    const store = new MemoryImports();
    const handler = sendLogLineHandler(store, () => new Date());

    // Act
    const outcome = await handler.handle(line({ sentAt: '2025-03-01 09:00', campaign: 'x' }), 7);

    // Assess
    expect(outcome).toEqual({
      kind: 'REFUSED',
      issues: [
        { field: 'sentAt', rule: 'must be an RFC 3339 date-time with a time zone' },
        { field: 'campaign', rule: 'is not a field of send log v1' },
      ],
    });
    expect(store.rows.size).toBe(0);
    expect(store.dayWrites).toEqual([]);
  });

  it('records each source and UTC day once, before its first row, however many lines share it', async () => {
    // Prepare
    const store = new MemoryImports();
    const handler = sendLogLineHandler(store, () => new Date());
    const lines = [
      line({ sourceNoticeId: 'a', sentAt: '2025-03-01T23:30:00-02:00' }),
      line({ sourceNoticeId: 'b', sentAt: '2025-03-02T08:00:00Z' }),
      line({ sourceNoticeId: 'c', sentAt: '2025-03-02T09:00:00Z' }),
      line({ source: 'other-shop', sourceNoticeId: 'd', sentAt: '2025-03-02T09:00:00Z' }),
    ];

    // Act: side by side, as the import engine runs a window of lines.
    await Promise.all(lines.map((text, i) => handler.handle(text, i + 1)));

    // Assess: 23:30 at -02:00 is 01:30 UTC the next day.
    expect(store.dayWrites.sort()).toEqual(['legacy-crm 2025-03-02', 'other-shop 2025-03-02']);
    expect(store.rows.size).toBe(4);
  });

  it('tries a source day again when recording it failed, so the line can be retried', async () => {
    // Prepare
    const store = new MemoryImports();
    let failures = 1;
    const flaky: ImportedNoticeStore = {
      putIfAbsent: (l) => store.putIfAbsent(l),
      recordSourceDays: async (source, days) => {
        if (failures-- > 0) throw new Error('throttled');
        await store.recordSourceDays(source, days);
      },
    };
    const handler = sendLogLineHandler(flaky, () => new Date());

    // Act
    const failed = await handler.handle(line(), 1).catch((error: unknown) => error);
    const retried = await handler.handle(line(), 1);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toEqual({ kind: 'APPLIED' });
    expect(store.dayWrites).toEqual(['legacy-crm 2025-03-01']);
  });
});
