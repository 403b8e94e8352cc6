import type { LineImportPosition, LineImportReport } from '../../platform/line-import/import-lines';
import type { ErasedCustomer } from '../../platform/line-import/line-handler';

/** Where an S3 import stands. */
export const ImportState = {
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  /** The object was overwritten while it was imported: the new version is imported on its own. */
  SUPERSEDED: 'SUPERSEDED',
} as const;
export type ImportState = (typeof ImportState)[keyof typeof ImportState];

// Every state says whether it is final (a new state must say it too); a state this code does not know is not.
const OVER: Readonly<Record<ImportState, boolean>> = { RUNNING: false, DONE: true, SUPERSEDED: true };

/**
 * Whether an import in this state is over: nothing more is read from its object version (the
 * erasure drain deletes an upload only then): `DONE` and `SUPERSEDED`, not `RUNNING`.
 */
export function importIsOver(state: ImportState): boolean {
  return OVER[state] === true;
}

/**
 * The import of one object version: `<bucket>/<key>@<eTag>`, the ETag without its quotes (S3's
 * events leave them out, its listings and GETs put them in).
 *
 * @example
 * importIdOf('imports', 'send-logs/a.jsonl', '"9b2cf535f27731c974343645a3985328"') // 'imports/send-logs/a.jsonl@9b2cf535f27731c974343645a3985328'
 */
export function importIdOf(bucket: string, key: string, eTag: string): string {
  return `${bucket}/${key}@${eTag.replaceAll('"', '')}`;
}

/** One import of one object version. */
export interface ImportProgress {
  /** `<bucket>/<key>@<eTag>`: one per object version. */
  readonly importId: string;
  readonly bucket: string;
  readonly key: string;
  readonly eTag: string;
  /** The line handler's name (what the file holds). */
  readonly kind: string;
  readonly state: ImportState;
  readonly position: LineImportPosition;
  readonly report: LineImportReport;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Who uploaded the object, as S3's event names them (`AWS:AIDA…`, `AWS:AROA…:<session>`); absent when S3 did not say. */
  readonly uploadedBy?: string;
  /**
   * The erased customers the lines imported so far are about (ids and hashes, never an address;
   * at most {@link MAX_ERASED_PER_IMPORT}): once the import is done, the erasure drain is asked
   * for each, so the upload that names them goes. Never in the report written beside the object.
   */
  readonly erased?: readonly ErasedCustomer[];
}

/** The erased customers an import remembers: one drain request is enough for the upload to go, the rest are for good measure. */
export const MAX_ERASED_PER_IMPORT = 100;

/**
 * The progress of S3 imports: what makes a chunked import resumable and each chunk's result
 * count once. `advance` is conditional on the position the chunk started from, so of two
 * workers on one chunk (a redelivered message) only one moves the import on.
 */
export interface ImportProgressStore {
  /** Records a new import at line 1, unless one of that object version exists (`exists`). */
  start(progress: ImportProgress): Promise<'started' | 'exists'>;
  get(importId: string): Promise<ImportProgress | undefined>;
  /** Moves the import from `from` to the progress given; `moved`, or `lost` when another worker moved it first. */
  advance(from: ImportProgress['position'], to: Pick<ImportProgress, 'importId' | 'state' | 'position' | 'report' | 'updatedAt' | 'erased'>): Promise<'moved' | 'lost'>;
}
