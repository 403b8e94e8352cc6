import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { sqsRecordFactory } from '../../../../test/helpers/factories';
import { contractObject } from '../../contract-schema';
import type { QuarantinedMessage } from '../../queues/quarantine';
import { validateSqsRecords } from './index';

const order = contractObject({ orderId: z.string().check(z.minLength(1)), quantity: z.number().check(z.int(), z.gte(1)) }, 'order v1');
const SECRET = '§secret-';

/** A body of any kind: valid orders, orders with producer-chosen keys, any JSON, any text. */
const body = fc.oneof(
  fc.record({ orderId: fc.string({ minLength: 1 }), quantity: fc.integer({ min: 1, max: 1000 }) }).map((o) => JSON.stringify(o)),
  fc
    .record({ key: fc.string({ maxLength: 30 }), value: fc.jsonValue() })
    .map(({ key, value }) => JSON.stringify({ orderId: 'o', quantity: 1, [SECRET + key]: value })),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('validateSqsRecords (fuzz)', () => {
  it('accounts for every record exactly once, parses the valid ones, and never logs a producer\'s field name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ body, quarantineFails: fc.boolean() }), { maxLength: 10 }), async (batch) => {
        // Prepare
        const records = batch.map((b) => sqsRecordFactory(b.body));
        const failing = new Set(records.filter((_, i) => batch[i]!.quarantineFails).map((r) => r.messageId));
        const kept: QuarantinedMessage[] = [];
        const logged: unknown[] = [];
        const log = (message: string, extra: unknown) => void logged.push({ message, extra });

        // Act
        const outcome = await validateSqsRecords(records, {
          schema: order,
          quarantine: {
            put: async (m) => {
              if (failing.has(m.sourceMessageId)) throw new Error('down');
              kept.push(m);
            },
          },
          knownFields: new Set(['orderId', 'quantity']),
          logger: { warn: log, error: log },
        });

        // Assess
        const ids = [
          ...outcome.valid.map((r) => r.messageId),
          ...outcome.quarantined.map((q) => q.record.messageId),
          ...outcome.batchItemFailures.map((f) => f.itemIdentifier),
        ];
        expect(ids.sort()).toEqual(records.map((r) => r.messageId).sort());
        for (const record of outcome.valid) expect(record.data).toEqual(JSON.parse(record.body));
        for (const failure of outcome.batchItemFailures) expect(failing.has(failure.itemIdentifier)).toBe(true);
        expect(kept.map((m) => m.sourceMessageId)).toEqual(outcome.quarantined.map((q) => q.record.messageId));
        for (const m of kept) expect(m.issues.every((i) => i.field !== '' && i.rule !== '')).toBe(true);
        expect(JSON.stringify(logged)).not.toContain(SECRET);
      }),
      { numRuns: 500 },
    );
  });
});
