/**
 * What each declarer's campaigns were approved by their plans alone on one UTC day, so the
 * approval threshold holds per person and day across incidents: splitting one incident into
 * many campaigns of at most the threshold buys nothing (docs/operator.md, "Identity and the
 * two-person rule").
 */
export interface AutoApprovals {
  /**
   * Counts an incident's `recipients` against `declarerKey`'s allowance of `day` (at most
   * `limit` in all), once per incident: true when they fit (or this incident was counted
   * already), false when they do not (nothing counted; the campaign then waits for a person).
   */
  reserve(declarerKey: string, day: string, incidentId: string, recipients: number, limit: number): Promise<boolean>;
  /** How many recipients `declarerKey`'s campaigns of `day` were approved for automatically. */
  used(declarerKey: string, day: string): Promise<number>;
}
