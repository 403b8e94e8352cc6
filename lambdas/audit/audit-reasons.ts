/**
 * What the audit concluded about one ledger row. `OK`: the right person was told;
 * `WRONG`: an email went where it should not have; `NOT_SENT`: no email went (blocked or
 * refused), so nobody can have been wrongly told; `UNVERIFIABLE`: the row names no address.
 */
export const AuditVerdict = {
  OK: 'OK',
  WRONG: 'WRONG',
  NOT_SENT: 'NOT_SENT',
  UNVERIFIABLE: 'UNVERIFIABLE',
} as const;
export type AuditVerdict = (typeof AuditVerdict)[keyof typeof AuditVerdict];

/**
 * Why a notice that went out was wrong. Each is the ledger's `auditReason` and the
 * `reason` dimension of the `WrongNoticeFound` metric.
 */
export const AuditReason = {
  /** The address belongs to nobody we know (or to a customer with no registry). */
  NOT_A_PARTICIPANT: 'NOT_A_PARTICIPANT',
  /** The address belongs to a customer, but not to the registry's owner. */
  NOT_THE_OWNER: 'NOT_THE_OWNER',
  /** The notice was about a registry we do not have. */
  REGISTRY_NOT_FOUND: 'REGISTRY_NOT_FOUND',
  /** The owner was told, but the registry was not ACTIVE (closed or suspended): its page is gone. */
  REGISTRY_CLOSED: 'REGISTRY_CLOSED',
  /** The owner was told although they keep gifts a surprise. */
  NOTIFICATIONS_OFF: 'NOTIFICATIONS_OFF',
  /** The owner was told about an item that is not on their registry. */
  ITEM_NOT_ON_REGISTRY: 'ITEM_NOT_ON_REGISTRY',
  /** A second notice to the same address for the same purchase and item, whatever its event id. */
  DUPLICATE: 'DUPLICATE',
} as const;
export type AuditReason = (typeof AuditReason)[keyof typeof AuditReason];

/** Why a row was not judged: nothing was sent, or the row names no address. */
export const NotJudgedReason = {
  NOTHING_SENT: 'NOTHING_SENT',
  NO_ADDRESS: 'NO_ADDRESS',
} as const;
export type NotJudgedReason = (typeof NotJudgedReason)[keyof typeof NotJudgedReason];

/**
 * Reasons that mean the person should never have heard from us about this registry:
 * they get an apology. `DUPLICATE` does not (the first notice was right; see
 * docs/audit-and-apology.md), nor does anything for an address that was also told rightly.
 */
export const APOLOGY_REASONS: ReadonlySet<AuditReason> = new Set<AuditReason>([
  AuditReason.NOT_A_PARTICIPANT,
  AuditReason.NOT_THE_OWNER,
  AuditReason.REGISTRY_NOT_FOUND,
  AuditReason.REGISTRY_CLOSED,
  AuditReason.NOTIFICATIONS_OFF,
  AuditReason.ITEM_NOT_ON_REGISTRY,
]);
