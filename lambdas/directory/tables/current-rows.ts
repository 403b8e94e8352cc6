import { factOrder, type CustomerFact, type ItemFact, type RegistryFact } from '../directory-fact';
import { REGISTRY_SK, itemSk } from './directories';

type Item = Record<string, unknown>;

/**
 * The current-state rows the directory function writes, in the shapes the notify function
 * reads (docs/data-model.md), each with `directoryOrder`: the order of the fact it shows
 * (`factOrder`), which every later write must exceed.
 */
export const CurrentRows = {
  /** The registries table's `REGISTRY` item. */
  registry(fact: RegistryFact, appliedAt: string): Item {
    return {
      pk: fact.registryId,
      sk: REGISTRY_SK,
      registryId: fact.registryId,
      ownerCustomerId: fact.ownerCustomerId,
      status: fact.status,
      purchaseNotifications: fact.purchaseNotifications,
      title: fact.title,
      updatedAt: appliedAt,
      directoryOrder: factOrder(fact),
    };
  },
  /** An `ITEM#<itemId>` item: exists while the item is on the registry. */
  item(fact: ItemFact): Item {
    return { pk: fact.registryId, sk: itemSk(fact.itemId), registryId: fact.registryId, itemId: fact.itemId, title: fact.title, directoryOrder: factOrder(fact) };
  },
  /** A customers-table item. */
  customer(fact: CustomerFact, appliedAt: string): Item {
    return {
      customerId: fact.customerId,
      email: fact.email,
      emailHash: fact.emailHash,
      locale: fact.locale,
      ...(fact.firstName === undefined ? {} : { firstName: fact.firstName }),
      notificationsOptOut: fact.notificationsOptOut,
      updatedAt: appliedAt,
      directoryOrder: factOrder(fact),
    };
  },
  /** An erased customer's item: no address, no hash, no name; opted out, so nothing is ever sent. */
  erasedCustomer(fact: CustomerFact, appliedAt: string): Item {
    return {
      customerId: fact.customerId,
      erased: true,
      erasedAt: fact.effectiveAt,
      notificationsOptOut: true,
      updatedAt: appliedAt,
      directoryOrder: factOrder(fact),
    };
  },
} as const;
