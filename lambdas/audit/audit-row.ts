import { AuditVerdict } from './audit-reasons';
import { duplicateKeys, type AuditedNotice } from './audited-notice';
import { rowInIncident, type Incident } from './incident';
import { judgeNotice, type Judgement } from './judge-notice';
import type { AuditDeps } from './audit-deps';
import { loadAuditFacts } from './audit-facts';

/**
 * Audits one ledger row: loads what our data said at its moment (as we now know it), judges it, attaches it to every
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
    // Before the row: whoever imported a row the campaign apologises for may not approve it (two-person-rule.ts).
    await recordImporter(incident.incidentId, row, judgement, deps);
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

/** Adds a WRONG imported row's importer to the incident it is attached to (the rows an apology goes for). */
export async function recordImporter(incidentId: string, row: AuditedNotice, judgement: Judgement, deps: Pick<AuditDeps, 'incidents'>): Promise<void> {
  if (row.importedBy !== undefined && judgement.verdict === AuditVerdict.WRONG) await deps.incidents.addRowsImportedBy(incidentId, row.importedBy);
}
