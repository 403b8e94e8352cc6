import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, PURCHASE_MESSAGE_FIELDS, purchaseMessageSchema } from '../../lambdas/notices/purchase-message';
import { validateSqsRecords } from '../../lambdas/platform/middleware/sqs-record-validation';
import type { QuarantinedMessage } from '../../lambdas/platform/queues/quarantine';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';

const validMessage = () => purchaseMessageFactory({ registryId: 'reg-ann' });

/** Ways to break a valid message: each yields a body that contract v1 must refuse. */
const invalidBody = fc.oneof(
  // Not JSON, or JSON that is not an object.
  fc.string().filter((s) => {
    try {
      const v: unknown = JSON.parse(s);
      return v === null || typeof v !== 'object' || Array.isArray(v);
    } catch {
      return true;
    }
  }),
  fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => JSON.stringify(v)),
  // A valid message with one field replaced by anything of the wrong shape.
  fc
    .record({
      field: fc.constantFrom('schemaVersion', 'eventId', 'purchaseId', 'registryId', 'item', 'purchasedAt'),
      value: fc.oneof(fc.integer({ min: 2 }), fc.constant(''), fc.constant(null), fc.array(fc.nat()), fc.string({ minLength: 129 })),
    })
    .map(({ field, value }) => JSON.stringify({ ...validMessage(), [field]: value })),
  // A required field missing.
  fc
    .constantFrom('schemaVersion', 'eventId', 'purchaseId', 'registryId', 'item', 'purchasedAt')
    .map((field) => {
      const m: Record<string, unknown> = { ...validMessage() };
      delete m[field];
      return JSON.stringify(m);
    }),
  // An unknown field smuggled in.
  fc
    .record({ key: fc.string({ minLength: 1, maxLength: 20 }), value: fc.jsonValue() })
    .filter(({ key }) => !['schemaVersion', 'eventId', 'purchaseId', 'registryId', 'item', 'purchasedAt', 'purchaser', 'giftMessage', 'recipientCustomerId', '__proto__'].includes(key))
    .map(({ key, value }) => JSON.stringify({ ...validMessage(), [key]: value })),
  // Out-of-range item fields and oversized free text.
  fc.integer().filter((q) => q < 1 || q > 99).map((quantity) => JSON.stringify({ ...validMessage(), item: { itemId: 'item-stroller', title: 'T', quantity } })),
  fc.string({ minLength: 501, maxLength: 2000 }).map((giftMessage) => JSON.stringify({ ...validMessage(), giftMessage })),
  fc.string({ minLength: 81, maxLength: 200 }).map((displayName) => JSON.stringify({ ...validMessage(), purchaser: { displayName } })),
  // Identifiers outside the alphabet.
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[A-Za-z0-9._:-]+$/.test(s)).map((eventId) => JSON.stringify({ ...validMessage(), eventId })),
);

describe('purchase contract behind the validation middleware, with invalid input (property)', () => {
  it('quarantines every one of 1,000 generated invalid messages with a reason, and hands none to the handler', async () => {
    // Prepare
    const quarantined: QuarantinedMessage[] = [];
    const options = {
      schema: purchaseMessageSchema(() => new Date()),
      quarantine: { put: async (m: QuarantinedMessage) => void quarantined.push(m) },
      maxBodyBytes: MAX_BODY_BYTES,
      knownFields: PURCHASE_MESSAGE_FIELDS,
      logger: { warn: () => undefined, error: () => undefined },
    };

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(invalidBody, async (body) => {
        const before = quarantined.length;
        const outcome = await validateSqsRecords([sqsRecordFactory(body)], options);
        expect(outcome.valid).toEqual([]);
        expect(outcome.batchItemFailures).toEqual([]);
        expect(quarantined).toHaveLength(before + 1);
        const issues = quarantined.at(-1)!.issues;
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(issue.field).not.toBe('');
          expect(issue.rule).not.toBe('');
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
