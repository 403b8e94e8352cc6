import { CurrentRows } from '../../lambdas/directory/tables/current-rows';
import { factItem, HistoryKeys, itemFact } from '../../lambdas/directory/tables/history-items';
import { itemSk, REGISTRY_SK } from '../../lambdas/directory/tables/directories';
import type { Correction } from '../../lambdas/directory/correction';
import {
  factOrder,
  factsOf,
  keyOf,
  scrubbed,
  type CustomerFact,
  type DirectoryFact,
  type FactKey,
  type ItemFact,
  type RegistryFact,
} from '../../lambdas/directory/directory-fact';
import type { DirectoryEvent } from '../../lambdas/directory/directory-event';
import type { DirectoryStore, Projection, RecipientErasure } from '../../lambdas/directory/ports/directory-store';

type Item = Record<string, unknown>;

/** The three tables as sorted lists of items: what two runs are compared by. */
export interface TablesSnapshot {
  readonly history: Item[];
  readonly registries: Item[];
  readonly customers: Item[];
}

/** Attributes that record when something was learned, not what is true: not part of the facts. */
const CORRECTION_MARKS = ['correctionDay', 'correctionUntil'] as const;

/** Items sorted by key, with `undefined` attributes dropped (as DynamoDB stores them) and correction marks left out. */
export function tablesSnapshot(tables: { history: Iterable<Item>; registries: Iterable<Item>; customers: Iterable<Item> }): TablesSnapshot {
  const clean = (item: Item): Item =>
    Object.fromEntries(
      Object.entries(item)
        .filter(([k, v]) => v !== undefined && !(CORRECTION_MARKS as readonly string[]).includes(k))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  const sorted = (items: Iterable<Item>, key: (i: Item) => string): Item[] =>
    [...items].map(clean).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    history: sorted(tables.history, (i) => `${String(i.pk)}\u0000${String(i.sk)}`),
    registries: sorted(tables.registries, (i) => `${String(i.pk)}\u0000${String(i.sk)}`),
    customers: sorted(tables.customers, (i) => String(i.customerId)),
  };
}

/**
 * The directory store in memory, with DynamoDB's semantics for what the adapter relies on:
 * each call is one atomic conditional read or write of one item. `pause` runs before each of
 * them, so a test can interleave concurrent applies (fast-check's scheduler).
 */
export class InMemoryDirectoryStore implements DirectoryStore, RecipientErasure {
  readonly history = new Map<string, Item>();
  readonly registries = new Map<string, Item>();
  readonly customers = new Map<string, Item>();
  /** Every `eraseRecipient` call. */
  readonly erasures: { customerId: string; hashes: readonly string[] }[] = [];

  constructor(private readonly pause: () => Promise<unknown> = () => Promise.resolve()) {}

  snapshot(): TablesSnapshot {
    return tablesSnapshot({ history: this.history.values(), registries: this.registries.values(), customers: this.customers.values() });
  }

  async neighbours(fact: DirectoryFact): Promise<{ before?: DirectoryFact; after?: DirectoryFact }> {
    const sk = HistoryKeys.sk(fact.effectiveAt, fact.version);
    await this.pause();
    const before = this.timeline(fact).filter((i) => String(i.sk) < sk).at(-1);
    await this.pause();
    const after = this.timeline(fact).find((i) => String(i.sk) > sk);
    return { ...(before ? { before: itemFact(before) } : {}), ...(after ? { after: itemFact(after) } : {}) };
  }

  async latest(key: FactKey): Promise<DirectoryFact | undefined> {
    await this.pause();
    const newest = this.timeline(key).at(-1);
    return newest ? itemFact(newest) : undefined;
  }

  async record(fact: DirectoryFact, appliedAt: string, correction?: Correction): Promise<'written' | 'exists'> {
    await this.pause();
    const item = factItem(fact, appliedAt, correction);
    const key = `${String(item.pk)}\u0000${String(item.sk)}`;
    const existing = this.history.get(key);
    if (existing && !(String(existing.eventId) < fact.eventId)) return 'exists';
    this.history.set(key, item);
    return 'written';
  }

  async putRegistry(fact: RegistryFact, appliedAt: string): Promise<Projection> {
    await this.pause();
    return this.putIfNewer(this.registries, `${fact.registryId}\u0000${REGISTRY_SK}`, fact, CurrentRows.registry(fact, appliedAt));
  }

  async putItem(fact: ItemFact): Promise<Projection> {
    await this.pause();
    const key = `${fact.registryId}\u0000${itemSk(fact.itemId)}`;
    if (fact.onRegistry) return this.putIfNewer(this.registries, key, fact, CurrentRows.item(fact));
    const existing = this.registries.get(key);
    if (existing?.directoryOrder !== undefined && !(String(existing.directoryOrder) < factOrder(fact))) return 'stale';
    this.registries.delete(key);
    return 'written';
  }

  async putCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection | 'erased'> {
    await this.pause();
    if (this.customers.get(fact.customerId)?.erased === true) return 'erased';
    return this.putIfNewer(this.customers, fact.customerId, fact, CurrentRows.customer(fact, appliedAt));
  }

  async putErasedCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection> {
    await this.pause();
    const existing = this.customers.get(fact.customerId);
    if (existing?.erased === true && !(String(existing.directoryOrder) < factOrder(fact))) return 'stale';
    this.customers.set(fact.customerId, CurrentRows.erasedCustomer(fact, appliedAt));
    return 'written';
  }

  async addressesOf(customerId: string): Promise<string[]> {
    await this.pause();
    const items = this.timeline({ kind: 'customer', customerId });
    return [...new Set(items.flatMap((i) => (typeof i.email === 'string' && i.email !== '' ? [i.email] : [])))].sort();
  }

  async scrubCustomerHistory(customerId: string): Promise<string[]> {
    await this.pause();
    const items = this.timeline({ kind: 'customer', customerId });
    for (const item of items) {
      await this.pause();
      const key = `${String(item.pk)}\u0000${String(item.sk)}`;
      const current = this.history.get(key);
      if (current) {
        const { email: _e, firstName: _f, ...rest } = current;
        this.history.set(key, { ...rest, erased: true });
      }
    }
    return [...new Set(items.flatMap((i) => (typeof i.emailHash === 'string' ? [i.emailHash] : [])))];
  }

  async eraseRecipient(customerId: string, hashes: readonly string[]): Promise<number> {
    await this.pause();
    this.erasures.push({ customerId, hashes: [...hashes].sort() });
    return 0;
  }

  private timeline(key: FactKey): Item[] {
    const pk = HistoryKeys.pk(key);
    return [...this.history.values()].filter((i) => i.pk === pk).sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
  }

  private putIfNewer(table: Map<string, Item>, key: string, fact: DirectoryFact, row: Item): Projection {
    const existing = table.get(key);
    if (existing?.directoryOrder !== undefined && !(String(existing.directoryOrder) < factOrder(fact))) return 'stale';
    table.set(key, row);
    return 'written';
  }
}

/**
 * What the tables must hold once these events are applied, in whatever order and however
 * often: written from the definition (docs/data-model.md), not from the apply algorithm.
 * Per timeline, of facts of the same (`effectiveAt`, `version`) the greatest `eventId`; the
 * current row shows the fact of the greatest order; an erased customer has only the erased
 * row (of the greatest erasure) and no address or name in any fact.
 */
export function expectedTables(events: readonly DirectoryEvent[], appliedAt: string): TablesSnapshot {
  const facts = events.flatMap(factsOf);
  const erased = new Set(facts.flatMap((f) => (f.kind === 'customer' && f.erasure ? [f.customerId] : [])));
  const history = new Map<string, DirectoryFact>();
  const newest = new Map<string, DirectoryFact>();
  const newestErasure = new Map<string, CustomerFact>();
  for (const fact of facts) {
    const key = `${HistoryKeys.pk(fact)}\u0000${HistoryKeys.sk(fact.effectiveAt, fact.version)}`;
    const held = history.get(key);
    if (!held || held.eventId < fact.eventId) history.set(key, fact);
    const timeline = HistoryKeys.pk(keyOf(fact));
    const top = newest.get(timeline);
    if (!top || factOrder(top) < factOrder(fact)) newest.set(timeline, fact);
    if (fact.kind === 'customer' && fact.erasure) {
      const e = newestErasure.get(fact.customerId);
      if (!e || factOrder(e) < factOrder(fact)) newestErasure.set(fact.customerId, fact);
    }
  }
  const historyItems = [...history.values()].map((fact) =>
    factItem(fact.kind === 'customer' && erased.has(fact.customerId) && !fact.erasure ? scrubbed(fact) : fact, appliedAt),
  );
  const registries: Item[] = [];
  const customers: Item[] = [];
  for (const fact of newest.values()) {
    if (fact.kind === 'registry') registries.push(CurrentRows.registry(fact, appliedAt));
    else if (fact.kind === 'item') {
      if (fact.onRegistry) registries.push(CurrentRows.item(fact));
    } else if (!erased.has(fact.customerId)) customers.push(CurrentRows.customer(fact, appliedAt));
  }
  for (const erasure of newestErasure.values()) customers.push(CurrentRows.erasedCustomer(erasure, appliedAt));
  return tablesSnapshot({ history: historyItems, registries, customers });
}
