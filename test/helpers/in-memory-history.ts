import { factAt } from '../../lambdas/audit/fact-at';
import type { CustomerAt, DirectoryHistory, RegistryAt, Valid } from '../../lambdas/directory/ports/directory-history';
import { addressHash } from '../../lambdas/directory/address-hash';

/** One step of a timeline: from when, and what changed (the rest carries over from the step before). */
type Step = { readonly from: string } & Record<string, unknown>;

/** Facts of one timeline, each holding until the next starts, stamped as the port stamps them. */
function timeline(steps: readonly Step[], first: Record<string, unknown>): Record<string, unknown>[] {
  let current = first;
  return steps.map((step, i) => {
    const { from, ...change } = step;
    current = { ...current, ...change };
    const next = steps[i + 1];
    const validFrom = new Date(from).toISOString();
    return { ...current, validFrom, version: i + 1, eventId: `e-${i + 1}`, appliedAt: validFrom, ...(next ? { validUntil: new Date(next.from).toISOString() } : {}) };
  });
}

/** A registry's timeline: ACTIVE, notifications on, owner `cus-ann` unless a step says otherwise. */
export function registryTimeline(
  registryId: string,
  steps: readonly ({ readonly from: string } & Partial<Pick<RegistryAt, 'ownerCustomerId' | 'status' | 'purchaseNotifications'>>)[],
): Valid<RegistryAt>[] {
  return timeline(steps, { registryId, ownerCustomerId: 'cus-ann', status: 'ACTIVE', purchaseNotifications: true, title: 'Ann & Ben' }) as unknown as Valid<RegistryAt>[];
}

/** A customer's timeline; give `email` and its hash is worked out. */
export function customerTimeline(
  customerId: string,
  steps: readonly ({ readonly from: string; readonly email?: string } & Partial<Pick<CustomerAt, 'notificationsOptOut'>>)[],
): Valid<CustomerAt>[] {
  const withHashes = steps.map((s) => (s.email ? { ...s, emailHash: addressHash(s.email) } : s));
  return timeline(withHashes, { customerId, locale: 'en', notificationsOptOut: false, erased: false }) as unknown as Valid<CustomerAt>[];
}

/**
 * The directory history port over in-memory timelines, for unit tests of the audit's own
 * logic; the DynamoDB adapter is tested against DynamoDB Local.
 */
export function inMemoryHistory(world: {
  readonly registries?: readonly Valid<RegistryAt>[][];
  readonly customers?: readonly Valid<CustomerAt>[][];
  /** `<registryId>/<itemId>` of items on their registry all along. */
  readonly items?: readonly string[];
}): DirectoryHistory {
  const registries = new Map((world.registries ?? []).map((t) => [t[0]!.registryId, t]));
  const customers = new Map((world.customers ?? []).map((t) => [t[0]!.customerId, t]));
  const registryAt = async (id: string, at: string) => factAt(registries.get(id) ?? [], at);
  const customerAt = async (id: string, at: string) => factAt(customers.get(id) ?? [], at);
  return {
    registryAt,
    customerAt,
    itemOnRegistryAt: async (registryId, itemId) => (world.items ?? []).includes(`${registryId}/${itemId}`),
    customersWithAddressHashAt: async (hash, at) =>
      [...customers.values()].map((t) => factAt(t, at)).filter((c): c is Valid<CustomerAt> => c?.emailHash === hash),
    ownedARegistryAt: async (customerId, at) => [...registries.values()].some((t) => factAt(t, at)?.ownerCustomerId === customerId),
    registryTimeline: async (id) => registries.get(id) ?? [],
    customerTimeline: async (id) => customers.get(id) ?? [],
    corrections: async () => ({ corrections: [] }),
  };
}
