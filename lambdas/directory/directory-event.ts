import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { validateJsonText, type Validated } from '../platform/validation';
import { contractObject, fieldNamesOf, instant, text, typeRule } from '../platform/contract-schema';
import { RegistryStatus } from './facts';
import { identifier } from '../platform/identifier';
import { isPlainAddress, MAX_ADDRESS_LENGTH } from './plain-address';
import { MAX_CLOCK_SKEW_MS, MAX_FUTURE_MS } from '../platform/clock-limits';
import { DirectoryEventType } from './directory-event-type';

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export { DirectoryEventType } from './directory-event-type';

/** Most items one items event may carry (keeps a message far below SQS's 256 KiB). */
export const MAX_ITEMS_PER_EVENT = 100;

/** Bodies larger than this are refused before parsing; a valid v1 event is under 40 KiB. */
export const MAX_DIRECTORY_BODY_BYTES = 64 * 1024;

const CONTRACT = 'directory event v1';

const plainText = (max: number) => text(max).check(z.refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' }));
const boolean = z.boolean(typeRule('must be true or false'));
const uniqueIds = (ids: readonly string[]): boolean => new Set(ids).size === ids.length;
const itemList = <T extends z.core.$ZodType>(item: T) =>
  z.array(item, typeRule('must be an array')).check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(MAX_ITEMS_PER_EVENT, { error: `must have at most ${MAX_ITEMS_PER_EVENT} items` }),
  );

const common = {
  schemaVersion: z.literal(1, typeRule('must be the integer 1')),
  eventId: identifier,
  version: z
    .number(typeRule('must be a number'))
    .check(
      z.int({ error: 'must be an integer' }),
      z.gte(0, { error: 'must be at least 0' }),
      z.lte(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}` }),
    ),
  effectiveAt: instant(),
};

const registryUpserted = contractObject(
  {
    ...common,
    type: z.literal(DirectoryEventType.REGISTRY_UPSERTED),
    registryId: identifier,
    ownerCustomerId: identifier,
    status: z.enum(Object.values(RegistryStatus), typeRule('must be ACTIVE, CLOSED or SUSPENDED')),
    title: plainText(200),
    purchaseNotifications: boolean,
  },
  CONTRACT,
);

const itemsAdded = contractObject(
  {
    ...common,
    type: z.literal(DirectoryEventType.REGISTRY_ITEMS_ADDED),
    registryId: identifier,
    items: itemList(contractObject({ itemId: identifier, title: plainText(200) }, CONTRACT)).check(
      z.refine((items) => uniqueIds(items.map((i) => i.itemId)), { error: 'must not name an itemId twice' }),
    ),
  },
  CONTRACT,
);

const itemsRemoved = contractObject(
  {
    ...common,
    type: z.literal(DirectoryEventType.REGISTRY_ITEMS_REMOVED),
    registryId: identifier,
    itemIds: itemList(identifier).check(z.refine(uniqueIds, { error: 'must not name an itemId twice' })),
  },
  CONTRACT,
);

const customerUpserted = contractObject(
  {
    ...common,
    type: z.literal(DirectoryEventType.CUSTOMER_UPSERTED),
    customerId: identifier,
    // The rule our own data is checked by before a send (lambdas/directory/plain-address.ts): one
    // address, no display name, no list, no spaces, CR or LF. Not trimmed: the shop must send it clean.
    email: z
      .string(typeRule('must be a string'))
      .check(
        z.maxLength(MAX_ADDRESS_LENGTH, { error: `must be at most ${MAX_ADDRESS_LENGTH} characters` }),
        z.refine(isPlainAddress, { error: 'must be one plain email address (no name, no list, no spaces)' }),
      ),
    locale: z
      .string(typeRule('must be a string'))
      .check(
        z.maxLength(35, { error: 'must be at most 35 characters' }),
        z.regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/, { error: 'must be a language tag like en or de-AT' }),
      ),
    firstName: z.optional(plainText(80)),
    notificationsOptOut: boolean,
  },
  CONTRACT,
);

const customerErased = contractObject(
  { ...common, type: z.literal(DirectoryEventType.CUSTOMER_ERASED), customerId: identifier },
  CONTRACT,
);

const TYPES_RULE = `must be one of ${Object.values(DirectoryEventType).join(', ')}`;

const directoryEventV1 = z.discriminatedUnion('type', [registryUpserted, itemsAdded, itemsRemoved, customerUpserted, customerErased], {
  error: (issue: { readonly code?: string; readonly input?: unknown }) => {
    if (issue.code === 'invalid_type') return 'must be a JSON object';
    const type = (issue.input as { type?: unknown } | undefined)?.type;
    return type === undefined ? 'is required' : TYPES_RULE;
  },
});

/** A directory event that passed every rule of contract v1. */
export type DirectoryEvent = z.infer<typeof directoryEventV1>;
export type RegistryUpserted = z.infer<typeof registryUpserted>;
export type RegistryItemsAdded = z.infer<typeof itemsAdded>;
export type RegistryItemsRemoved = z.infer<typeof itemsRemoved>;
export type CustomerUpserted = z.infer<typeof customerUpserted>;
export type CustomerErased = z.infer<typeof customerErased>;

/** Every field name of contract v1: what a log line may show of an issue's path. */
export const DIRECTORY_EVENT_FIELDS: ReadonlySet<string> = fieldNamesOf(directoryEventV1);

/**
 * Directory event contract v1 (docs/directory-events.md) as a Standard Schema: every field
 * checked, unknown fields refused one by one, and an `effectiveAt` more than 24 hours ahead
 * of `now` refused as a wrong date (a nearer future is a fast clock: see
 * {@link effectiveAheadDelaySeconds}).
 *
 * @example
 * const schema = directoryEventSchema(() => new Date());
 * schema['~standard'].validate({ schemaVersion: 1, type: 'customer.erased' }) // issues: eventId is required, ...
 */
export function directoryEventSchema(now: () => Date): StandardSchemaV1<unknown, DirectoryEvent> {
  return directoryEventV1.check(
    z.refine((event) => Date.parse(event.effectiveAt) <= now().getTime() + MAX_FUTURE_MS, {
      error: 'must not be more than 24 hours in the future',
      path: ['effectiveAt'],
    }),
  );
}

/**
 * Parses a JSON text (an SQS body, a line of a snapshot file) and validates it against
 * contract v1. Never throws: every way it can be wrong comes back as issues naming the field
 * and the rule.
 *
 * @example
 * parseDirectoryEvent('{"schemaVersion":2}', new Date()).ok // false
 */
export function parseDirectoryEvent(body: string, now: Date, rootField = '(body)'): Validated<DirectoryEvent> {
  return validateJsonText(body, directoryEventSchema(() => now), { maxBytes: MAX_DIRECTORY_BODY_BYTES, rootField });
}

/**
 * How long a valid event must wait before it is applied: 0 when `effectiveAt` is at most 5
 * minutes ahead of `now`, else the time until it is. A fact "from the future" applied now would
 * show in the current state (what the notify function reads) before it is true.
 *
 * @example
 * effectiveAheadDelaySeconds({ effectiveAt: '2026-11-25T12:06:00Z' }, new Date('2026-11-25T12:00:00Z')) // 60
 */
export function effectiveAheadDelaySeconds(event: Pick<DirectoryEvent, 'effectiveAt'>, now: Date): number {
  const aheadMs = Date.parse(event.effectiveAt) - now.getTime() - MAX_CLOCK_SKEW_MS;
  return aheadMs > 0 ? Math.ceil(aheadMs / 1000) : 0;
}
