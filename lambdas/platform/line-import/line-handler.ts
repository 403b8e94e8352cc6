import type { ValidationIssue } from '../validation';

/**
 * A customer erased before the line was imported, whom the line names: the file still names them,
 * so the S3 import asks for the erasure drain once the file is imported (docs/data-model.md,
 * "Erasure"). Their id and address hashes, never an address.
 */
export interface ErasedCustomer {
  readonly customerId: string;
  readonly addressHashes: readonly string[];
}

/** What became of one line of an imported file (`erased`: the line is about an erased customer). */
export type LineOutcome =
  | { readonly kind: 'APPLIED'; readonly erased?: ErasedCustomer }
  | { readonly kind: 'UNCHANGED'; readonly erased?: ErasedCustomer }
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
