import type { Correction } from '../correction';
import { CorrectedEntity } from '../correction';
import { paddedVersion, type CustomerFact, type DirectoryFact, type FactKey, type RegistryFact } from '../directory-fact';
import type { CustomerAt, RegistryAt } from '../ports/directory-history';

type Item = Record<string, unknown>;

/**
 * Keys of the directory history table (docs/data-model.md, "DirectoryHistoryTable"): one
 * partition per timeline, one item per fact, sorted by (`effectiveAt`, `version`).
 * Identifiers never contain `#` (their alphabet is `A-Z a-z 0-9 . _ : -`).
 */
export const HistoryKeys = {
  /** The partition of a timeline. */
  pk(key: FactKey): string {
    switch (key.kind) {
      case 'registry':
        return `REGISTRY#${key.registryId}`;
      case 'item':
        return `ITEM#${key.registryId}#${key.itemId}`;
      case 'customer':
        return `CUSTOMER#${key.customerId}`;
    }
  },
  /** A fact's sort key: `AT#<effectiveAt>#<version, 16 digits>`. */
  sk(effectiveAt: string, version: number): string {
    return `AT#${effectiveAt}#${paddedVersion(version)}`;
  },
  /** Every fact's sort key starts with this. */
  factPrefix: 'AT#',
  /** Greater than the sort key of every fact effective at or before `instant` (normalized), and less than any later one. */
  upTo(instant: string): string {
    return `AT#${instant}#~`;
  },
} as const;

/** Index names of the history table (lib/constructs/data-tables.ts creates them). */
export const HISTORY_INDEXES = {
  byOwner: 'byOwner',
  byEmailHash: 'byEmailHash',
  byCorrectionDay: 'byCorrectionDay',
} as const;

/** The day partition of the corrections index. */
export function correctionDay(appliedAt: string): string {
  return appliedAt.slice(0, 10);
}

/**
 * A fact as a history table item, stamped with when we applied it and, for a late event that
 * changed the past, marked as a correction (sparse index `byCorrectionDay`).
 */
export function factItem(fact: DirectoryFact, appliedAt: string, correction?: Correction): Item {
  const item: Item = {
    pk: HistoryKeys.pk(fact),
    sk: HistoryKeys.sk(fact.effectiveAt, fact.version),
    ...fact,
    appliedAt,
  };
  if (correction) {
    item.correctionDay = correctionDay(appliedAt);
    if (correction.effectiveUntil) item.correctionUntil = correction.effectiveUntil;
    if (correction.appliedBy) item.correctionAppliedBy = correction.appliedBy;
  }
  return item;
}

/** A history table item back as the fact it records. */
export function itemFact(item: Item): DirectoryFact {
  const stamp = { effectiveAt: str(item.effectiveAt), version: Number(item.version), eventId: str(item.eventId) };
  switch (item.kind) {
    case 'registry':
      return {
        ...stamp,
        kind: 'registry',
        registryId: str(item.registryId),
        ownerCustomerId: str(item.ownerCustomerId),
        status: str(item.status),
        purchaseNotifications: item.purchaseNotifications === true,
        title: str(item.title),
      };
    case 'item':
      return {
        ...stamp,
        kind: 'item',
        registryId: str(item.registryId),
        itemId: str(item.itemId),
        onRegistry: item.onRegistry === true,
        ...(typeof item.title === 'string' ? { title: item.title } : {}),
      };
    default:
      return {
        ...stamp,
        kind: 'customer',
        customerId: str(item.customerId),
        ...(typeof item.email === 'string' ? { email: item.email } : {}),
        ...(typeof item.emailHash === 'string' ? { emailHash: item.emailHash } : {}),
        locale: typeof item.locale === 'string' ? item.locale : 'en',
        ...(typeof item.firstName === 'string' ? { firstName: item.firstName } : {}),
        // Anything but an explicit false counts as opted out: when unsure, do not mail.
        notificationsOptOut: item.notificationsOptOut !== false,
        erased: item.erased === true,
        erasure: item.erasure === true,
      };
  }
}

/** A registry fact as the port answers it. */
export function registryAt(fact: RegistryFact, appliedAt: string): RegistryAt {
  return {
    registryId: fact.registryId,
    ownerCustomerId: fact.ownerCustomerId,
    status: fact.status,
    purchaseNotifications: fact.purchaseNotifications,
    title: fact.title,
    ...origin(fact, appliedAt),
  };
}

/** A customer fact as the port answers it. */
export function customerAt(fact: CustomerFact, appliedAt: string): CustomerAt {
  return {
    customerId: fact.customerId,
    ...(fact.emailHash === undefined ? {} : { emailHash: fact.emailHash }),
    ...(fact.email === undefined || fact.erased ? {} : { email: fact.email }),
    locale: fact.locale,
    ...(fact.firstName === undefined || fact.erased ? {} : { firstName: fact.firstName }),
    notificationsOptOut: fact.notificationsOptOut,
    erased: fact.erased,
    ...origin(fact, appliedAt),
  };
}

/** A corrections-index item as a {@link Correction}. */
export function itemCorrection(item: Item): Correction {
  const isCustomer = item.kind === 'customer';
  return {
    entity: isCustomer ? CorrectedEntity.CUSTOMER : CorrectedEntity.REGISTRY,
    id: str(isCustomer ? item.customerId : item.registryId),
    fact: item.kind === 'item' ? 'item' : isCustomer ? 'customer' : 'registry',
    ...(item.kind === 'item' ? { itemId: str(item.itemId) } : {}),
    effectiveFrom: str(item.effectiveAt),
    ...(typeof item.correctionUntil === 'string' ? { effectiveUntil: item.correctionUntil } : {}),
    appliedAt: str(item.appliedAt),
    eventId: str(item.eventId),
    ...(typeof item.correctionAppliedBy === 'string' ? { appliedBy: item.correctionAppliedBy } : {}),
  };
}

function origin(fact: DirectoryFact, appliedAt: string) {
  return { validFrom: fact.effectiveAt, version: fact.version, eventId: fact.eventId, appliedAt };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '');
}
