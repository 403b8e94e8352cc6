import { describe, expect, it } from 'vitest';
import { validateJsonText } from '../../lambdas/platform/validation';
import { clockAheadDelaySeconds, MAX_BODY_BYTES, PURCHASE_MESSAGE_FIELDS, purchaseMessageSchema } from '../../lambdas/notices/purchase-message';
import { purchaseMessageFactory } from '../helpers/factories';

const NOW = new Date('2026-11-25T12:00:00Z');
const schema = purchaseMessageSchema(() => NOW);
const parse = (value: unknown) => {
  const result = validateJsonText(typeof value === 'string' ? value : JSON.stringify(value), schema, { maxBytes: MAX_BODY_BYTES });
  return result.ok ? { ok: true as const, message: result.value } : result;
};
const valid = () => purchaseMessageFactory({ purchasedAt: '2026-11-25T11:59:00Z' });

describe('purchase message contract v1 (a Standard Schema)', () => {
  it('accepts a complete valid message and returns it typed', () => {
    // Prepare
    const message = { ...valid(), purchaser: { displayName: 'Aunt May' }, giftMessage: 'Congrats!', recipientCustomerId: 'cus-ann' };

    // Act
    const result = parse(message);

    // Assess
    expect(result).toEqual({ ok: true, message });
  });

  it('accepts a message without the optional fields (an anonymous gift)', () => {
    expect(parse(valid()).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"schemaVersion":1,', '(body)', 'must be valid JSON'],
    ['a JSON array', '[]', '(body)', 'must be a JSON object'],
    ['JSON null', 'null', '(body)', 'must be a JSON object'],
  ])('refuses %s with a reason about the body', (_, body, field, rule) => {
    expect(parse(body)).toEqual({ ok: false, issues: [{ field, rule }] });
  });

  it.each([
    ['schemaVersion', { schemaVersion: 2 }, 'must be the integer 1'],
    ['eventId', { eventId: '' }, 'must not be empty'],
    ['eventId', { eventId: 'a'.repeat(129) }, 'must be at most 128 characters'],
    ['eventId', { eventId: 'evt 1' }, 'may only contain A-Z a-z 0-9 . _ : -'],
    ['purchaseId', { purchaseId: 'p/1' }, 'may only contain A-Z a-z 0-9 . _ : -'],
    ['registryId', { registryId: 42 }, 'must be a string'],
    ['registryId', { registryId: '..' }, 'must not be only dots'],
    ['item.title', { item: { itemId: 'i', title: 'x'.repeat(201), quantity: 1 } }, 'must be at most 200 characters'],
    ['item.quantity', { item: { itemId: 'i', title: 't', quantity: 100 } }, 'must be at most 99'],
    ['item.quantity', { item: { itemId: 'i', title: 't', quantity: 0 } }, 'must be at least 1'],
    ['item.quantity', { item: { itemId: 'i', title: 't', quantity: 1.5 } }, 'must be an integer'],
    ['item.itemId', { item: { itemId: 'a b', title: 't', quantity: 1 } }, 'may only contain A-Z a-z 0-9 . _ : -'],
    ['purchasedAt', { purchasedAt: '25.11.2026' }, 'must be an RFC 3339 date-time with a time zone'],
    ['purchasedAt', { purchasedAt: '2026-11-26T12:00:01Z' }, 'must not be more than 24 hours in the future'],
    ['purchaser.displayName', { purchaser: { displayName: 'Eve\u0007' } }, 'must not contain control characters'],
    ['purchaser.displayName', { purchaser: { displayName: 'x'.repeat(81) } }, 'must be at most 80 characters'],
    ['giftMessage', { giftMessage: 'x'.repeat(501) }, 'must be at most 500 characters'],
    ['recipientCustomerId', { recipientCustomerId: '' }, 'must not be empty'],
  ])('names the field %s and the rule when it is wrong', (field, override, rule) => {
    // Act
    const result = parse({ ...valid(), ...override });

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toContainEqual({ field, rule });
  });

  it('says which required field is missing', () => {
    // Prepare
    const { registryId: _omitted, ...message } = valid();

    // Assess
    expect(parse(message)).toEqual({ ok: false, issues: [{ field: 'registryId', rule: 'is required' }] });
  });

  it('refuses unknown fields, naming each, at any depth', () => {
    // Prepare
    const base = valid();
    const message = { ...base, recipientEmail: 'eve@example.com', item: { ...base.item, price: 10 } };

    // Act
    const result = parse(message);

    // Assess
    expect(!result.ok && result.issues).toEqual(
      expect.arrayContaining([
        { field: 'recipientEmail', rule: 'is not a field of purchase message v1' },
        { field: 'item.price', rule: 'is not a field of purchase message v1' },
      ]),
    );
  });

  it('refuses an oversized body before parsing it', () => {
    expect(parse({ ...valid(), giftMessage: 'x'.repeat(20_000) })).toEqual({
      ok: false,
      issues: [{ field: '(body)', rule: 'must be at most 16384 bytes' }],
    });
  });

  it('accepts a purchase up to 24 hours in the future as valid (a fast producer clock; the notice waits, see clockAheadDelaySeconds)', () => {
    expect(parse({ ...valid(), purchasedAt: '2026-11-25T12:06:00Z' }).ok).toBe(true);
    expect(parse({ ...valid(), purchasedAt: '2026-11-26T12:00:00Z' }).ok).toBe(true);
  });

  it('names every field of the contract, at any depth, for the logs', () => {
    expect([...PURCHASE_MESSAGE_FIELDS].sort()).toEqual(
      [
        'schemaVersion',
        'eventId',
        'purchaseId',
        'registryId',
        'item',
        'itemId',
        'title',
        'quantity',
        'purchasedAt',
        'purchaser',
        'displayName',
        'giftMessage',
        'recipientCustomerId',
      ].sort(),
    );
  });
});

describe('clockAheadDelaySeconds', () => {
  it.each([
    ['a purchase in the past', '2026-11-25T11:00:00Z', 0],
    ['exactly 5 minutes ahead (the tolerance)', '2026-11-25T12:05:00Z', 0],
    ['6 minutes ahead: a minute until it is within 5', '2026-11-25T12:06:00Z', 60],
    ['half a second past the tolerance, rounded up', '2026-11-25T12:05:00.500Z', 1],
    ['3 hours ahead', '2026-11-25T15:00:00+00:00', 10_500],
    ['ahead, written in another time zone', '2026-11-25T13:06:00+01:00', 60],
  ])('is %s -> %i s', (_, purchasedAt, seconds) => {
    expect(clockAheadDelaySeconds({ purchasedAt }, NOW)).toBe(seconds);
  });
});
