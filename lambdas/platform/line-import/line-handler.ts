import type { ValidationIssue } from '../validation';

/** What became of one line of an imported file. */
export type LineOutcome =
  | { readonly kind: 'APPLIED' }
  | { readonly kind: 'UNCHANGED' }
  | { readonly kind: 'REFUSED'; readonly issues: readonly ValidationIssue[] };

/**
 * What a kind of JSON Lines file means: one line in, its outcome out. The import engine
 * (`lambdas/platform/line-import/`) reads the file, counts and reports; a handler only says what a line
 * does. The S3 import routes objects to handlers by key prefix (`lambdas/imports/s3-import/routes.ts`).
 */
export interface LineHandler {
  /** What the file holds, for reports: e.g. `directory events v1`. */
  readonly name: string;
  /**
   * Handles one line (`lineNumber` is 1-based). Bad input comes back `REFUSED` with every broken
   * rule; a throw means the line may succeed later (a throttled write) and stops the import
   * where it is, to be resumed.
   */
  handle(text: string, lineNumber: number): Promise<LineOutcome>;
}
