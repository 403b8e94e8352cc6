/**
 * Which incident's campaign apologises for each notice: at most one, across incidents. A
 * plan claims the notices of every address it decides to apologise to, before the campaign
 * can be approved, so of two incidents planning at once exactly one holds a notice
 * (docs/audit-and-apology.md, "One apology per notice, across incidents").
 */
export interface ApologisedNotices {
  /** The incident holding each of these notices, for those some incident holds (read in batches). */
  holders(noticeIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Claims the notices for `incidentId` (each a write conditional on no other incident holding
   * it; claiming again for the same incident changes nothing). Returns those another incident
   * holds, with that incident: the claim lost them.
   */
  claim(incidentId: string, addressHash: string, noticeIds: readonly string[], at: string): Promise<Map<string, string>>;
  /** Gives back those of the notices `incidentId` holds (a new plan of it no longer apologises for them). */
  release(incidentId: string, noticeIds: readonly string[]): Promise<void>;
}
