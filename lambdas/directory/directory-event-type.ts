/**
 * Directory event types of contract v1 (docs/directory-events.md). A module of its own, apart
 * from the contract's schemas in directory-event.ts: code that only names a type (the facts of
 * the history, which the audit and the operator read) would otherwise bundle every schema the
 * feed parses with, as module-scope zod calls that esbuild cannot drop.
 */
export const DirectoryEventType = {
  REGISTRY_UPSERTED: 'registry.upserted',
  REGISTRY_ITEMS_ADDED: 'registry.items.added',
  REGISTRY_ITEMS_REMOVED: 'registry.items.removed',
  CUSTOMER_UPSERTED: 'customer.upserted',
  CUSTOMER_ERASED: 'customer.erased',
} as const;
export type DirectoryEventType = (typeof DirectoryEventType)[keyof typeof DirectoryEventType];
