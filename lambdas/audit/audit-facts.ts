import { addressHash, addressHashes } from '../directory/address-hash';
import type { AuditFacts, AuditedNotice } from './audited-notice';
import { factAt } from './fact-at';
import type { Registry } from '../directory/facts';
import type { AuditDeps } from './audit-deps';

/** A customer as the audit needs them at an instant: who, and the hash of the address they had. */
interface CustomerThen {
  readonly customerId: string;
  readonly addressHash?: string;
  /** The address itself, while our data still holds it: to match a row stored under the other hash (keyed or legacy). */
  readonly email?: string;
}

/**
 * What our data said at the moment a notice was decided (`decidedAt`; an imported row's is
 * its `sentAt`), **as we now know that moment**: the directory history, corrections
 * included. A change after the moment never shows; a correction of it does.
 *
 * An entity the history has never heard of (no fact at all: data loaded before the directory
 * feed existed) is judged by the current tables instead, as the audit did before it had a
 * history; one the history knows but not yet at the moment did not exist then.
 *
 * @example
 * const facts = await loadAuditFacts(row, deps); // then judgeNotice(row, facts)
 */
export async function loadAuditFacts(row: AuditedNotice, deps: AuditDeps): Promise<AuditFacts> {
  const at = row.decidedAt;
  const { registry, itemOnRegistry } = row.registryId
    ? await registryThen(row.registryId, row.itemId, at, deps)
    : { registry: undefined, itemOnRegistry: false };
  const owner = registry ? await customerThen(registry.ownerCustomerId, at, deps) : undefined;
  const rowHashes = hashesOfRow(row);
  const isOwner = owner !== undefined && rowHashes.length > 0 && hashesOf(owner).some((hash) => rowHashes.includes(hash));
  // Judged by the row's own hash when the addresses are one, whichever hash each was stored under
  // (rows and facts written before keyed hashes hold the legacy one: docs/data-model.md, "Address hashes").
  const ownerAddressHash = isOwner ? row.recipientAddressHash : owner?.addressHash;
  const holders = isOwner || rowHashes.length === 0 ? (owner ? [owner] : []) : await holdersThen(rowHashes, at, deps);
  // Only asked when it can change the verdict: a customer mailed about a registry not theirs.
  const addressCustomerOwnsARegistry = !isOwner && holders.length > 0 ? await anyOwnedThen(holders, at, deps) : undefined;
  return {
    registry,
    itemOnRegistry: row.itemId ? itemOnRegistry : undefined,
    ownerAddressHash,
    addressCustomer: holders[0],
    addressCustomerOwnsARegistry,
    firstNotices: [],
  };
}

async function registryThen(
  registryId: string,
  itemId: string | undefined,
  at: string,
  deps: AuditDeps,
): Promise<{ registry: Registry | undefined; itemOnRegistry: boolean }> {
  const timeline = await deps.history.registryTimeline(registryId);
  if (timeline.length === 0) return deps.registries.getRegistryWithItem(registryId, itemId ?? '');
  const registry = factAt(timeline, at);
  const itemOnRegistry = registry !== undefined && itemId !== undefined && (await deps.history.itemOnRegistryAt(registryId, itemId, at));
  return { registry, itemOnRegistry };
}

async function customerThen(customerId: string, at: string, deps: AuditDeps): Promise<CustomerThen | undefined> {
  const timeline = await deps.history.customerTimeline(customerId);
  if (timeline.length === 0) {
    const current = await deps.customers.getCustomer(customerId);
    return current && { customerId, addressHash: current.email ? addressHash(current.email) : undefined, email: current.email || undefined };
  }
  const fact = factAt(timeline, at);
  return fact && { customerId, addressHash: fact.emailHash, email: fact.email };
}

/** Every hash a customer's address may be stored under: its stored one, and both of its address while we hold it. */
function hashesOf(customer: CustomerThen): string[] {
  return [...new Set([...(customer.addressHash ? [customer.addressHash] : []), ...(customer.email ? addressHashes(customer.email) : [])])];
}

/** The row's stored hash first, then both of its address while the row holds it. */
function hashesOfRow(row: AuditedNotice): string[] {
  return [...new Set([...(row.recipientAddressHash ? [row.recipientAddressHash] : []), ...(row.recipientAddress ? addressHashes(row.recipientAddress) : [])])];
}

/**
 * Who had this address at the moment (two customers may share one), by each hash it may be
 * stored under: the row's own first (one query when it finds someone, as before keyed hashes).
 */
async function holdersThen(hashes: readonly string[], at: string, deps: AuditDeps): Promise<CustomerThen[]> {
  for (const hash of hashes) {
    const then = await deps.history.customersWithAddressHashAt(hash, at);
    if (then.length > 0) return then.map((c) => ({ customerId: c.customerId, addressHash: hash }));
  }
  // Nobody per the history: unless the address is a customer's the history never heard of.
  for (const hash of hashes) {
    const current = await deps.addresses.customerByAddressHash(hash);
    if (current && (await deps.history.customerTimeline(current.customerId)).length === 0) {
      return [{ customerId: current.customerId, addressHash: hash }];
    }
  }
  return [];
}

async function anyOwnedThen(holders: readonly CustomerThen[], at: string, deps: AuditDeps): Promise<boolean> {
  for (const { customerId } of holders) {
    if (await deps.history.ownedARegistryAt(customerId, at)) return true;
    // A customer the history never heard of may own registries it never heard of either.
    if ((await deps.history.customerTimeline(customerId)).length === 0 && (await deps.registryOwners.ownsARegistry(customerId))) return true;
  }
  return false;
}
