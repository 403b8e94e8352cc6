/**
 * How far the audit has read the directory's corrections log: every correction applied
 * before `appliedFrom` has been audited; while a pass is under way, `appliedBefore` is the end
 * of the span it reads and `cursor` the page it got to.
 */
export interface CorrectionsProgress {
  readonly appliedFrom: string;
  readonly appliedBefore?: string;
  readonly cursor?: string;
}

/** Where the audit keeps its place in the corrections log between runs. */
export interface CorrectionsCursor {
  get(): Promise<CorrectionsProgress | undefined>;
  save(progress: CorrectionsProgress): Promise<void>;
}
