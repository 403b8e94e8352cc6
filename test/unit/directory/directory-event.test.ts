import { describe, expect, it } from 'vitest';
import { MAX_DIRECTORY_BODY_BYTES, parseDirectoryEvent } from '../../../lambdas/directory/directory-event';
import {
  customerErasedFactory,
  customerUpsertedFactory,
  itemsAddedFactory,
  itemsRemovedFactory,
  registryUpsertedFactory,
} from '../../helpers/factories';

const parse = (value: unknown) => parseDirectoryEvent(typeof value === 'string' ? value : JSON.stringify(value), new Date());
const issuesOf = (value: unknown) => {
  const result = parse(value);
  return result.ok ? [] : result.issues;
};

describe('directory event contract v1', () => {
  it.each([
    ['registry.upserted', registryUpsertedFactory()],
    ['registry.items.added', itemsAddedFactory()],
    ['registry.items.removed', itemsRemovedFactory()],
    ['customer.upserted', customerUpsertedFactory()],
    ['customer.upserted without a first name', customerUpsertedFactory({ firstName: undefined })],
    ['customer.erased', customerErasedFactory()],
  ])('accepts a valid %s event and returns it typed', (_, event) => {
    expect(parse(event)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(event)) });
  });

  it.each([
    ['not JSON', '{"type":', 'must be valid JSON'],
    ['a JSON array', '[]', 'must be a JSON object'],
    ['JSON null', 'null', 'must be a JSON object'],
    ['too large', JSON.stringify({ pad: 'x'.repeat(MAX_DIRECTORY_BODY_BYTES) }), `must be at most ${MAX_DIRECTORY_BODY_BYTES} bytes`],
  ])('refuses %s with a reason about the body', (_, body, rule) => {
    expect(parse(body)).toEqual({ ok: false, issues: [{ field: '(body)', rule }] });
  });

  it('refuses an unknown type, naming the types there are', () => {
    expect(issuesOf({ ...registryUpsertedFactory(), type: 'registry.deleted' })).toEqual([
      { field: 'type', rule: 'must be one of registry.upserted, registry.items.added, registry.items.removed, customer.upserted, customer.erased' },
    ]);
  });

  it.each([
    ['schemaVersion', registryUpsertedFactory({ schemaVersion: 2 as 1 }), 'must be the integer 1'],
    ['eventId', registryUpsertedFactory({ eventId: 'a b' }), 'may only contain A-Z a-z 0-9 . _ : -'],
    ['version', registryUpsertedFactory({ version: -1 }), 'must be at least 0'],
    ['version', registryUpsertedFactory({ version: 1.5 }), 'must be an integer'],
    ['version', registryUpsertedFactory({ version: 2 ** 53 }), `must be at most ${Number.MAX_SAFE_INTEGER}`],
    ['effectiveAt', registryUpsertedFactory({ effectiveAt: '1.3.2026' }), 'must be an RFC 3339 date-time with a time zone'],
    ['effectiveAt', registryUpsertedFactory({ effectiveAt: '2026-03-01T10:00:00' }), 'must be an RFC 3339 date-time with a time zone'],
    ['effectiveAt', registryUpsertedFactory({ effectiveAt: new Date(Date.now() + 25 * 3_600_000).toISOString() }), 'must not be more than 24 hours in the future'],
    ['status', registryUpsertedFactory({ status: 'OPEN' as 'ACTIVE' }), 'must be ACTIVE, CLOSED or SUSPENDED'],
    ['title', registryUpsertedFactory({ title: 'x'.repeat(201) }), 'must be at most 200 characters'],
    ['title', registryUpsertedFactory({ title: 'Ann\r\nBcc: x' }), 'must not contain control characters'],
    ['purchaseNotifications', registryUpsertedFactory({ purchaseNotifications: 'yes' as unknown as boolean }), 'must be true or false'],
    ['ownerCustomerId', registryUpsertedFactory({ ownerCustomerId: '' }), 'must not be empty'],
    ['items', itemsAddedFactory({ items: [] }), 'must not be empty'],
    ['items', itemsAddedFactory({ items: Array.from({ length: 101 }, (_, i) => ({ itemId: `i-${i}`, title: 't' })) }), 'must have at most 100 items'],
    ['items', itemsAddedFactory({ items: [{ itemId: 'i-1', title: 'a' }, { itemId: 'i-1', title: 'b' }] }), 'must not name an itemId twice'],
    ['items.0.title', itemsAddedFactory({ items: [{ itemId: 'i-1', title: '' }] }), 'must not be empty'],
    ['itemIds', itemsRemovedFactory({ itemIds: ['i-1', 'i-1'] }), 'must not name an itemId twice'],
    ['itemIds.0', itemsRemovedFactory({ itemIds: ['i 1'] }), 'may only contain A-Z a-z 0-9 . _ : -'],
    ['email', customerUpsertedFactory({ email: 'a@x.example, evil@evil.example' }), 'must be one plain email address (no name, no list, no spaces)'],
    ['email', customerUpsertedFactory({ email: 'Ann <ann@example.com>' }), 'must be one plain email address (no name, no list, no spaces)'],
    ['email', customerUpsertedFactory({ email: 'ann@example.com\r\nBcc: e@evil.example' }), 'must be one plain email address (no name, no list, no spaces)'],
    ['email', customerUpsertedFactory({ email: ' ann@example.com' }), 'must be one plain email address (no name, no list, no spaces)'],
    ['locale', customerUpsertedFactory({ locale: 'german' }), 'must be a language tag like en or de-AT'],
    ['firstName', customerUpsertedFactory({ firstName: 'x'.repeat(81) }), 'must be at most 80 characters'],
    ['notificationsOptOut', customerUpsertedFactory({ notificationsOptOut: null as unknown as boolean }), 'must be true or false'],
  ])('names the field %s and the rule when it is wrong', (field, event, rule) => {
    expect(issuesOf(event)).toContainEqual({ field, rule });
  });

  it('says which required field is missing, each one', () => {
    // Prepare
    const { customerId: _c, email: _e, ...event } = customerUpsertedFactory();

    // Act
    const issues = issuesOf(event);

    // Assess
    expect(issues).toEqual([
      { field: 'customerId', rule: 'is required' },
      { field: 'email', rule: 'is required' },
    ]);
  });

  it('refuses each unknown field by name, also fields of another type', () => {
    expect(issuesOf({ ...customerErasedFactory(), email: 'ann@example.com', reason: 'gdpr' })).toEqual([
      { field: 'email', rule: 'is not a field of directory event v1' },
      { field: 'reason', rule: 'is not a field of directory event v1' },
    ]);
  });
});
