/** What a waiting plan's summary says about why it waits (the fields the words need). */
export interface WaitingPlan {
  /** ApprovalNeed values (approval-need.ts); a reason this version does not know is left out. */
  readonly approvalNeeded?: readonly string[];
  readonly strangers?: number;
}

/**
 * Why a plan waits for a second person, in words, one sentence per reason (docs/operator.md,
 * "Identity and the two-person rule"): the CLI's dry run and the console print the same. A plan
 * made before the reasons were recorded has none and waited for its size. Imports nothing, so
 * the console's browser bundle may take it.
 *
 * @example
 * approvalNeedWords({ approvalNeeded: ['STRANGERS'], strangers: 2 }, 100)
 * // ['2 recipient(s) only an import names (never mailed by us, no customer): waits for a second person.']
 */
export function approvalNeedWords(summary: WaitingPlan, threshold: number): string[] {
  const needs = summary.approvalNeeded ?? ['ABOVE_THRESHOLD'];
  const words: string[] = [];
  if (needs.includes('ABOVE_THRESHOLD')) words.push(`more than ${threshold} recipients: waits for approval by a second person (not the incident's declarer).`);
  if (needs.includes('DECLARER_DAILY_LIMIT')) words.push(`with the declarer's other campaigns approved today it is more than ${threshold}: waits for a second person.`);
  if (needs.includes('STRANGERS')) words.push(`${summary.strangers ?? 0} recipient(s) only an import names (never mailed by us, no customer): waits for a second person.`);
  if (needs.includes('CORRECTIONS')) words.push('planned from directory corrections: waits for a person who did not apply their import.');
  return words;
}
