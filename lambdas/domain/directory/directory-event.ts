import { z } from 'zod';
import { contractIssues, readJsonBody, type MessageIssue } from '../contract-issues';
import { RegistryStatus } from '../facts';
import { identifier } from '../identifier';
import { MAX_CLOCK_SKEW_MS } from '../purchase-message';

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// One plain address: no display name, no second address, no space, CR or LF (WHATWG's "valid email address").
const PLAIN_ADDRESS = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Directory event types of contract v1 (docs/directory-events.md). */
export const DirectoryEventType = {
  REGISTRY_UPSERTED: 'registry.upserted',
  REGISTRY_ITEMS_ADDED: 'registry.items.added',
  REGISTRY_ITEMS_REMOVED: 'registry.items.removed',
  CUSTOMER_UPSERTED: 'customer.upserted',
  CUSTOMER_ERASED: 'customer.erased',
} as const;
export type DirectoryEventType = (typeof DirectoryEventType)[keyof typeof DirectoryEventType];

/** Most items one items event may carry (keeps a message far below SQS's 256 KiB). */
export const MAX_ITEMS_PER_EVENT = 100;

/** Bodies larger than this are refused before parsing; a valid v1 event is under 40 KiB. */
export const MAX_DIRECTORY_BODY_BYTES = 64 * 1024;

const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' });

const common = {
  schemaVersion: z.literal(1, { error: 'must be the integer 1' }),
  eventId: identifier,
  version: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(0, { error: 'must be at least 0' })
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}` }),
  effectiveAt: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 date-time with a time zone' })
    .refine((s) => Date.parse(s) <= Date.now() + MAX_CLOCK_SKEW_MS, { error: 'must not be more than 5 minutes in the future' }),
};

const uniqueIds = (ids: readonly string[]): boolean => new Set(ids).size === ids.length;

const registryUpserted = z.strictObject({
  ...common,
  type: z.literal(DirectoryEventType.REGISTRY_UPSERTED),
  registryId: identifier,
  ownerCustomerId: identifier,
  status: z.enum(Object.values(RegistryStatus), { error: 'must be ACTIVE, CLOSED or SUSPENDED' }),
  title: text(200),
  purchaseNotifications: z.boolean({ error: 'must be true or false' }),
});

const itemsAdded = z.strictObject({
  ...common,
  type: z.literal(DirectoryEventType.REGISTRY_ITEMS_ADDED),
  registryId: identifier,
  items: z
    .array(z.strictObject({ itemId: identifier, title: text(200) }, { error: 'must be an object' }), { error: 'must be an array' })
    .min(1, { error: 'must not be empty' })
    .max(MAX_ITEMS_PER_EVENT, { error: `must have at most ${MAX_ITEMS_PER_EVENT} items` })
    .refine((items) => uniqueIds(items.map((i) => i.itemId)), { error: 'must not name an itemId twice' }),
});

const itemsRemoved = z.strictObject({
  ...common,
  type: z.literal(DirectoryEventType.REGISTRY_ITEMS_REMOVED),
  registryId: identifier,
  itemIds: z
    .array(identifier, { error: 'must be an array' })
    .min(1, { error: 'must not be empty' })
    .max(MAX_ITEMS_PER_EVENT, { error: `must have at most ${MAX_ITEMS_PER_EVENT} items` })
    .refine(uniqueIds, { error: 'must not name an itemId twice' }),
});

const customerUpserted = z.strictObject({
  ...common,
  type: z.literal(DirectoryEventType.CUSTOMER_UPSERTED),
  customerId: identifier,
  email: z
    .string({ error: 'must be a string' })
    .max(254, { error: 'must be at most 254 characters' })
    .regex(PLAIN_ADDRESS, { error: 'must be one plain email address (no name, no list, no spaces)' }),
  locale: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/, { error: 'must be a language tag like en or de-AT' })
    .max(35, { error: 'must be at most 35 characters' }),
  firstName: text(80).optional(),
  notificationsOptOut: z.boolean({ error: 'must be true or false' }),
});

const customerErased = z.strictObject({
  ...common,
  type: z.literal(DirectoryEventType.CUSTOMER_ERASED),
  customerId: identifier,
});

/**
 * Directory event contract v1, one schema per `type` (docs/directory-events.md). A Standard
 * Schema (zod), so the validation middleware can check records against it.
 */
export const directoryEventV1 = z.discriminatedUnion(
  'type',
  [registryUpserted, itemsAdded, itemsRemoved, customerUpserted, customerErased],
  { error: `must be one of ${Object.values(DirectoryEventType).join(', ')}` },
);

/** A directory event that passed every rule of contract v1. */
export type DirectoryEvent = z.infer<typeof directoryEventV1>;
export type RegistryUpserted = z.infer<typeof registryUpserted>;
export type RegistryItemsAdded = z.infer<typeof itemsAdded>;
export type RegistryItemsRemoved = z.infer<typeof itemsRemoved>;
export type CustomerUpserted = z.infer<typeof customerUpserted>;
export type CustomerErased = z.infer<typeof customerErased>;

export type DirectoryParseResult =
  | { readonly ok: true; readonly event: DirectoryEvent }
  | { readonly ok: false; readonly issues: readonly MessageIssue[] };

/**
 * Validates a parsed JSON value against directory event contract v1. Never throws: every way
 * it can be wrong comes back as issues naming the field and the rule.
 *
 * @example
 * checkDirectoryEvent({ schemaVersion: 1, type: 'customer.erased', eventId: 'e-1', version: 3,
 *   effectiveAt: '2026-03-01T10:00:00Z', customerId: 'c-1' }).ok // true
 */
export function checkDirectoryEvent(json: unknown): DirectoryParseResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, issues: [{ field: '(body)', rule: 'must be a JSON object' }] };
  }
  const parsed = directoryEventV1.safeParse(json);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, issues: contractIssues(parsed.error, json, 'directory event v1') };
}

/**
 * Parses an SQS message body (or a backfill line) and validates it against contract v1.
 *
 * @example
 * parseDirectoryEvent('{"schemaVersion":2}').ok // false
 */
export function parseDirectoryEvent(body: string): DirectoryParseResult {
  const read = readJsonBody(body, MAX_DIRECTORY_BODY_BYTES);
  return read.ok ? checkDirectoryEvent(read.json) : read;
}
