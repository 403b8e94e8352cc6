import { RegistryNoticesError } from '../platform/function-errors';
import { addressHashes } from '../directory/address-hash';
import { AuditVerdict } from './audit-reasons';
import { MAY_HAVE_REACHED, type AuditedNotice } from './audited-notice';
import { valuesTouched } from './corrected-window';
import { IncidentOrigin, correctionsIncidentId, type Incident } from './incident';
import type { Judgement } from './judge-notice';
import { CampaignState, type CampaignStore } from './ports/campaigns';
import type { CorrectionsCursor } from './ports/corrections-cursor';
import type { Correction } from '../directory/ports/directory-history';
import type { AuditDeps } from './audit-deps';
import type { AuditPassBudget } from './audit-pending';
import { auditRow, recordImporter } from './audit-row';
import { countJudgement, newTally, type AuditTally } from './audit-tally';
import { IncidentExistsError } from './errors';

/**
 * How far back the very first run looks (later runs start where the last stopped): the
 * directory feed and the audit are deployed together, so a week covers any correction applied
 * before the audit first ran, at one index query per day.
 */
export const FIRST_LOOKBACK_DAYS = 7;
/** Corrections applied this recently may not be in the (eventually consistent) index yet: the next run reads them. */
export const INDEX_LAG_MS = 60_000;
/** Follow-up incidents of one day, once its campaigns were approved, before giving up. */
const MAX_FOLLOW_UPS = 20;

/** What auditing corrections needs on top of auditing rows. */
export interface CorrectionsDeps extends AuditDeps {
  readonly campaigns: CampaignStore;
  readonly correctionsCursor: CorrectionsCursor;
}

/** What a pass over the corrections log did. */
export interface CorrectionsTally extends AuditTally {
  /** Corrections read. */
  corrections: number;
  /** The corrections incidents rows were attached to in this pass. */
  incidents: string[];
  done: boolean;
}

/**
 * Audits the directory corrections applied since the last run (docs/audit-and-apology.md,
 * "Corrections"): for each, the notices it may have made right or wrong, found with the
 * ledger's `byAddress` index, are judged again by the facts of their moment as we now know
 * it. When any turns out wrong, all of them are attached to the incident of that day's
 * corrections (`corr-<yyyymmdd>`, declared by the audit), whose campaign then waits for an
 * operator. Resumable: the place in the log is saved after each page, and auditing a row
 * again changes nothing.
 *
 * @example
 * const tally = await auditCorrections(deps, incidents, { maxRows: 5000, hasTime });
 */
export async function auditCorrections(
  deps: CorrectionsDeps,
  incidents: readonly Incident[],
  budget: AuditPassBudget,
): Promise<CorrectionsTally> {
  const tally: CorrectionsTally = { ...newTally(), corrections: 0, incidents: [], done: false };
  const now = deps.now().getTime();
  const saved = await deps.correctionsCursor.get();
  const appliedFrom = saved?.appliedFrom ?? new Date(now - FIRST_LOOKBACK_DAYS * 86_400_000).toISOString();
  const appliedBefore = saved?.appliedBefore ?? new Date(now - INDEX_LAG_MS).toISOString();
  if (appliedFrom >= appliedBefore) return { ...tally, done: true };
  let cursor = saved?.cursor;
  for (;;) {
    if (tally.rows >= budget.maxRows || !budget.hasTime()) {
      await deps.correctionsCursor.save({ appliedFrom, appliedBefore, cursor });
      return tally;
    }
    const page = await deps.history.corrections({ appliedFrom, appliedBefore, cursor, limit: budget.pageSize ?? 100 });
    for (const correction of page.corrections) {
      tally.corrections += 1;
      const incidentId = await auditCorrection(correction, incidents, deps, tally);
      if (incidentId && !tally.incidents.includes(incidentId)) tally.incidents.push(incidentId);
    }
    if (!page.cursor) {
      await deps.correctionsCursor.save({ appliedFrom: appliedBefore });
      return { ...tally, done: true };
    }
    cursor = page.cursor;
    await deps.correctionsCursor.save({ appliedFrom, appliedBefore, cursor });
  }
}

/** Judges again the notices one correction touches; returns the incident they were attached to, if any was wrong. */
async function auditCorrection(
  correction: Correction,
  incidents: readonly Incident[],
  deps: CorrectionsDeps,
  tally: AuditTally,
): Promise<string | undefined> {
  const judged: { row: AuditedNotice; judgement: Judgement }[] = [];
  for (const row of await touchedRows(correction, deps)) {
    const judgement = await auditRow(row, incidents, deps);
    countJudgement(tally, judgement);
    judged.push({ row, judgement });
  }
  if (!judged.some(({ judgement }) => judgement.verdict === AuditVerdict.WRONG)) return undefined;
  const incidentId = await openCorrectionsIncident(correction.appliedAt, deps);
  // Before any row: whoever imported the correction may not approve what it leads to (two-person-rule.ts).
  if (correction.appliedBy) await deps.incidents.addCorrectionsAppliedBy(incidentId, correction.appliedBy);
  const at = deps.now().toISOString();
  // Right ones too: an address also told rightly gets no apology (RIGHTLY_NOTIFIED).
  for (const { row, judgement } of judged) {
    await recordImporter(incidentId, row, judgement, deps);
    await deps.incidents.attach(
      incidentId,
      { noticeId: row.noticeId, addressHash: row.recipientAddressHash, verdict: judgement.verdict, reason: judgement.reason, locale: row.locale },
      at,
    );
  }
  return incidentId;
}

/**
 * The rows that may have reached someone whose verdict the correction can change: those
 * mailed, in the corrected window, to an address the corrected customer had (before the
 * correction and inside it), or, for a registry (or item) correction, to an address of any
 * customer who owned that registry then (before the correction and inside it), about it.
 */
async function touchedRows(correction: Correction, deps: CorrectionsDeps): Promise<AuditedNotice[]> {
  const window = { effectiveFrom: correction.effectiveFrom, effectiveUntil: correction.effectiveUntil };
  const isRegistry = correction.entity === 'registry';
  const customers = isRegistry
    ? valuesTouched(await deps.history.registryTimeline(correction.id), window, (f) => f.ownerCustomerId)
    : [correction.id];
  const hashes = new Set<string>();
  for (const customerId of customers) {
    const timeline = await deps.history.customerTimeline(customerId);
    if (timeline.length > 0) {
      for (const hash of valuesTouched(timeline, window, (f) => f.emailHash)) hashes.add(hash);
      // And both hashes of each address touched: rows written before keyed hashes hold the
      // legacy one, later rows the keyed one (docs/data-model.md, "Address hashes").
      for (const email of valuesTouched(timeline, window, (f) => f.email)) for (const hash of addressHashes(email)) hashes.add(hash);
    } else {
      // A customer the history never heard of: the address the current table has.
      const current = await deps.customers.getCustomer(customerId);
      if (current?.email) for (const hash of addressHashes(current.email)) hashes.add(hash);
    }
  }
  const ids = new Set<string>();
  for (const hash of [...hashes].sort()) {
    const found = await deps.ledger.noticesToAddress({
      addressHash: hash,
      from: correction.effectiveFrom,
      until: correction.effectiveUntil,
      registryId: isRegistry ? correction.id : undefined,
      itemId: correction.fact === 'item' ? correction.itemId : undefined,
    });
    for (const id of found) ids.add(id);
  }
  const rows: AuditedNotice[] = [];
  for (const id of [...ids].sort()) {
    const row = await deps.ledger.getRow(id);
    if (row && MAY_HAVE_REACHED.has(row.outcome)) rows.push(row);
  }
  return rows;
}

/**
 * The incident of the day's corrections that can still take rows: `corr-<yyyymmdd>`, or,
 * once its campaign was approved (its plan frozen), the first follow-up `corr-<yyyymmdd>-<n>`
 * whose campaign is not. Declared by the audit when it does not exist yet.
 */
async function openCorrectionsIncident(appliedAt: string, deps: CorrectionsDeps): Promise<string> {
  const day = correctionsIncidentId(appliedAt);
  for (let n = 1; n <= MAX_FOLLOW_UPS; n += 1) {
    const incidentId = n === 1 ? day : `${day}-${n}`;
    const existing = await deps.incidents.get(incidentId);
    if (!existing) {
      await declareCorrectionsIncident(incidentId, appliedAt, deps);
      return incidentId;
    }
    const state = (await deps.campaigns.get(incidentId))?.state;
    if (state === undefined || state === CampaignState.AWAITING_APPROVAL) return incidentId;
  }
  throw new RegistryNoticesError(`more than ${MAX_FOLLOW_UPS} approved corrections incidents on ${appliedAt.slice(0, 10)}`);
}

async function declareCorrectionsIncident(incidentId: string, appliedAt: string, deps: CorrectionsDeps): Promise<void> {
  try {
    await deps.incidents.declare({
      incidentId,
      description: `Notices that directory corrections applied on ${appliedAt.slice(0, 10)} showed were wrong when they went out`,
      declaredAt: deps.now().toISOString(),
      declaredBy: 'audit (directory corrections)',
      origin: IncidentOrigin.CORRECTIONS,
    });
  } catch (error) {
    // Declared a moment ago by an overlapping run: the same incident.
    if (!(error instanceof IncidentExistsError)) throw error;
  }
}
