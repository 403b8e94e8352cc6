import type { LineImportPosition, LineImportReport } from '../../platform/line-import/import-lines';

/** Where an S3 import stands. */
export const ImportState = {
  RUNNING: 'RUNNING',
  DONE: 'DONE',
  /** The object was overwritten while it was imported: the new version is imported on its own. */
  SUPERSEDED: 'SUPERSEDED',
} as const;
export type ImportState = (typeof ImportState)[keyof typeof ImportState];

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
}

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
  advance(from: ImportProgress['position'], to: Pick<ImportProgress, 'importId' | 'state' | 'position' | 'report' | 'updatedAt'>): Promise<'moved' | 'lost'>;
}
