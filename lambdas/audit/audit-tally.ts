import { AuditVerdict } from './audit-reasons';
import type { Judgement } from './judge-notice';

/** What an audit pass found: rows read, index items it cost, verdicts, wrong rows by reason. */
export interface AuditTally {
  rows: number;
  scanned: number;
  byVerdict: Record<string, number>;
  wrongByReason: Record<string, number>;
}

/** An empty tally. */
export function newTally(): AuditTally {
  return { rows: 0, scanned: 0, byVerdict: {}, wrongByReason: {} };
}

/** Adds one judgement to a tally. */
export function countJudgement(tally: AuditTally, judgement: Judgement): void {
  tally.rows += 1;
  tally.byVerdict[judgement.verdict] = (tally.byVerdict[judgement.verdict] ?? 0) + 1;
  if (judgement.verdict === AuditVerdict.WRONG && judgement.reason) {
    tally.wrongByReason[judgement.reason] = (tally.wrongByReason[judgement.reason] ?? 0) + 1;
  }
}

/** Adds `more` into `into`. */
export function addTally(into: AuditTally, more: AuditTally): void {
  into.rows += more.rows;
  into.scanned += more.scanned;
  for (const [k, v] of Object.entries(more.byVerdict)) into.byVerdict[k] = (into.byVerdict[k] ?? 0) + v;
  for (const [k, v] of Object.entries(more.wrongByReason)) into.wrongByReason[k] = (into.wrongByReason[k] ?? 0) + v;
}
