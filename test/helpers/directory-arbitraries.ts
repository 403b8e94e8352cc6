import fc from 'fast-check';
import type { DirectoryEvent } from '../../lambdas/directory/directory-event';

/** The clock of an apply in these tests: every instant below lies before it, some within the feed allowance. */
export const APPLIED_AT = '2026-07-01T00:00:00.000Z';

/**
 * Few ids, instants and versions, so that events collide: the same timeline changed many
 * times, facts of the same instant, reused versions, erasures before and after upserts.
 */
const registryIds = ['r-1', 'r-2'];
const itemIds = ['i-1', 'i-2', 'i-3'];
const customerIds = ['c-1', 'c-2', 'c-3'];
const emails = ['ann@model.example', 'ben@model.example', 'shared@model.example'];
const instants = [
  '2026-01-01T00:00:00.000Z',
  '2026-03-01T00:00:00.000Z',
  // The same instant written another way.
  '2026-03-01T01:00:00+01:00',
  '2026-05-01T12:00:00.000Z',
  // Within the feed allowance of APPLIED_AT: never a correction.
  '2026-06-30T23:58:00.000Z',
];

const common = fc.record({
  version: fc.integer({ min: 0, max: 4 }),
  effectiveAt: fc.constantFrom(...instants),
});

const event: fc.Arbitrary<Omit<DirectoryEvent, 'eventId'>> = fc.oneof(
  { weight: 3, arbitrary: fc.record({
    c: common,
    registryId: fc.constantFrom(...registryIds),
    ownerCustomerId: fc.constantFrom(...customerIds),
    status: fc.constantFrom('ACTIVE', 'CLOSED', 'SUSPENDED' as const),
    title: fc.constantFrom('Baby', 'Wedding'),
    purchaseNotifications: fc.boolean(),
  }).map(({ c, ...rest }) => ({ schemaVersion: 1 as const, type: 'registry.upserted' as const, ...c, ...rest })) },
  { weight: 3, arbitrary: fc.record({
    c: common,
    registryId: fc.constantFrom(...registryIds),
    items: fc.uniqueArray(fc.constantFrom(...itemIds), { minLength: 1, maxLength: 3 }).chain((ids) =>
      fc.tuple(...ids.map((itemId) => fc.constantFrom('Cot', 'Pram').map((title) => ({ itemId, title })))),
    ),
  }).map(({ c, ...rest }) => ({ schemaVersion: 1 as const, type: 'registry.items.added' as const, ...c, ...rest })) },
  { weight: 2, arbitrary: fc.record({
    c: common,
    registryId: fc.constantFrom(...registryIds),
    itemIds: fc.uniqueArray(fc.constantFrom(...itemIds), { minLength: 1, maxLength: 3 }),
  }).map(({ c, ...rest }) => ({ schemaVersion: 1 as const, type: 'registry.items.removed' as const, ...c, ...rest })) },
  { weight: 3, arbitrary: fc.record({
    c: common,
    customerId: fc.constantFrom(...customerIds),
    email: fc.constantFrom(...emails),
    locale: fc.constantFrom('en', 'de-AT'),
    firstName: fc.option(fc.constantFrom('Ann', 'Ben'), { nil: undefined }),
    notificationsOptOut: fc.boolean(),
  }).map(({ c, firstName, ...rest }) => ({
    schemaVersion: 1 as const,
    type: 'customer.upserted' as const,
    ...c,
    ...rest,
    ...(firstName === undefined ? {} : { firstName }),
  })) },
  // Erasures are rarer than upserts in a shop.
  { weight: 1, arbitrary: fc.record({ c: common, customerId: fc.constantFrom(...customerIds) }).map(({ c, customerId }) => ({
    schemaVersion: 1 as const,
    type: 'customer.erased' as const,
    ...c,
    customerId,
  })) },
) as fc.Arbitrary<Omit<DirectoryEvent, 'eventId'>>;

/**
 * Directory events with unique event ids (as a producer sends them), and a delivery of them:
 * each delivered `copies` times, in a shuffled order.
 *
 * @example
 * fc.assert(fc.property(deliveriesArbitrary({ maxEvents: 20 }), ({ events, deliveries }) => ...))
 */
export function deliveriesArbitrary(options: { maxEvents: number; copies?: number }): fc.Arbitrary<{
  events: DirectoryEvent[];
  deliveries: DirectoryEvent[];
}> {
  const copies = options.copies ?? 3;
  return fc
    .array(event, { minLength: 1, maxLength: options.maxEvents })
    .map((drafts) => drafts.map((draft, i) => ({ ...draft, eventId: `e-${String(i).padStart(3, '0')}` }) as DirectoryEvent))
    .chain((events) =>
      fc
        .shuffledSubarray(
          events.flatMap((e) => Array.from({ length: copies }, () => e)),
          { minLength: events.length * copies, maxLength: events.length * copies },
        )
        .map((deliveries) => ({ events, deliveries })),
    );
}
