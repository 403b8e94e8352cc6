import { IncidentOrigin } from '../incident';
import type { PlanSummary } from './apology-plan';

/**
 * Why a finished plan waits for a person's approval instead of being approved by itself
 * (docs/operator.md, "Identity and the two-person rule"). Any one is enough; every campaign that
 * waits needs a second person (two-person-rule.ts).
 */
export const ApprovalNeed = {
  /** Planned from directory corrections, with anyone to write to: a correction may itself be a mistake, and an apology cannot be taken back. */
  CORRECTIONS: 'CORRECTIONS',
  /** More recipients than the approval threshold. */
  ABOVE_THRESHOLD: 'ABOVE_THRESHOLD',
  /** Some recipients are strangers only an import names (strangers.ts). */
  STRANGERS: 'STRANGERS',
  /** Within the threshold, but with the declarer's other automatic approvals of the day it would not be. */
  DECLARER_DAILY_LIMIT: 'DECLARER_DAILY_LIMIT',
} as const;
export type ApprovalNeed = (typeof ApprovalNeed)[keyof typeof ApprovalNeed];

/**
 * What a plan needs approval for on its own (the declarer's day, which needs the store, is the
 * caller's to add): nothing means it may approve itself if the declarer's day allows.
 *
 * @example
 * approvalNeedsOf({ toApologise: 3, strangers: 1, ... }, undefined, 100) // ['STRANGERS']
 */
export function approvalNeedsOf(summary: Pick<PlanSummary, 'toApologise' | 'strangers'>, origin: IncidentOrigin | undefined, threshold: number): ApprovalNeed[] {
  const needs: ApprovalNeed[] = [];
  if (origin === IncidentOrigin.CORRECTIONS && summary.toApologise > 0) needs.push(ApprovalNeed.CORRECTIONS);
  if (summary.toApologise > threshold) needs.push(ApprovalNeed.ABOVE_THRESHOLD);
  if ((summary.strangers ?? 0) > 0) needs.push(ApprovalNeed.STRANGERS);
  return needs;
}
