import { addressHash } from '../domain/address-hash';
import { AuditVerdict } from '../domain/audit/audit-reasons';
import { duplicateKeys, type AuditFacts, type AuditedNotice } from '../domain/audit/audited-notice';
import { rowInIncident, type Incident } from '../domain/audit/incident';
import { judgeNotice, type Judgement } from '../domain/audit/judge-notice';
import type { AuditDeps } from './audit-deps';

/**
 * Audits one ledger row: loads what our data says, judges it, attaches it to every
 * incident it lies in, and only then marks it audited (a crash before the mark leaves
 * it pending, so the next run does it all again; every step is idempotent).
 *
 * @example
 * const judgement = await auditRow(row, incidents, deps); // { verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' }
 */
export async function auditRow(row: AuditedNotice, incidents: readonly Incident[], deps: AuditDeps): Promise<Judgement> {
  const facts = await loadAuditFacts(row, deps);
  let judgement = judgeNotice(row, facts);
  const keys = duplicateKeys(row);
  // Only a row that is otherwise right can be a duplicate; only those register as "first".
  // One key after the other, in sorted order, so two rows sharing keys meet on the same one first.
  if (judgement.verdict === AuditVerdict.OK && keys.length > 0) {
    const firstNotices: string[] = [];
    for (const key of keys) firstNotices.push(await deps.firstNotices.firstFor(key, row.noticeId));
    judgement = judgeNotice(row, { ...facts, firstNotices });
  }
  const at = deps.now().toISOString();
  for (const incident of incidents) {
    if (!rowInIncident(row, incident)) continue;
    await deps.incidents.attach(
      incident.incidentId,
      {
        noticeId: row.noticeId,
        addressHash: row.recipientAddressHash,
        verdict: judgement.verdict,
        reason: judgement.reason,
        locale: row.locale,
      },
      at,
    );
  }
  await deps.ledger.markAudited(row.noticeId, judgement, at);
  return judgement;
}

async function loadAuditFacts(row: AuditedNotice, deps: AuditDeps): Promise<AuditFacts> {
  const { registry, itemOnRegistry } = row.registryId
    ? await deps.registries.getRegistryWithItem(row.registryId, row.itemId ?? '')
    : { registry: undefined, itemOnRegistry: false };
  const owner = registry ? await deps.customers.getCustomer(registry.ownerCustomerId) : undefined;
  const ownerAddressHash = owner?.email ? addressHash(owner.email) : undefined;
  const isOwner = ownerAddressHash !== undefined && ownerAddressHash === row.recipientAddressHash;
  const addressCustomer =
    isOwner || !row.recipientAddressHash ? owner : await deps.addresses.customerByAddressHash(row.recipientAddressHash);
  // Only asked when it can change the verdict: a customer mailed about a registry not theirs.
  const addressCustomerOwnsARegistry =
    !isOwner && addressCustomer ? await deps.registryOwners.ownsARegistry(addressCustomer.customerId) : undefined;
  return {
    registry,
    itemOnRegistry: row.itemId ? itemOnRegistry : undefined,
    ownerAddressHash,
    addressCustomer,
    addressCustomerOwnsARegistry,
    firstNotices: [],
  };
}
