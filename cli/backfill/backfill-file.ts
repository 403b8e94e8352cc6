import { createReadStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyLineReport, importLines, type LineImportPosition, type LineImportReport } from '../../lambdas/platform/line-import/import-lines';
import { readLines } from '../../lambdas/platform/line-import/read-lines';
import type { LineHandler } from '../../lambdas/platform/line-import/line-handler';
import { CliError } from '../errors';

/** What a backfill writes after every window of lines, and reads back to resume. */
export interface BackfillCheckpoint {
  readonly version: 1;
  /** The file, as given, and its size: a checkpoint of another file is not resumed. */
  readonly file: string;
  readonly size: number;
  readonly position: LineImportPosition;
  readonly report: LineImportReport;
  readonly done: boolean;
  readonly updatedAt: string;
}

export interface BackfillFileOptions {
  /** Continue from the checkpoint instead of from line 1. */
  readonly resume?: boolean;
  /** @default `<file>.backfill.json` */
  readonly checkpointFile?: string;
  /** Lines applied at once. @default 32 */
  readonly concurrency?: number;
  /** The longest line accepted (bytes). */
  readonly maxLineBytes: number;
  /** Told now and then (at most once a second), for a progress display. */
  readonly onProgress?: (report: Readonly<LineImportReport>, position: LineImportPosition) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Checkpoints are written at most this often (ms): a crash redoes at most this much, idempotently. @default 1000 */
  readonly checkpointEveryMs?: number;
}

/** Where a file's checkpoint goes by default. */
export function defaultCheckpointFile(file: string): string {
  return `${file}.backfill.json`;
}

/**
 * Loads a JSON Lines file through a line handler (the directory's: docs/directory-events.md,
 * "Backfill"), streaming: memory stays bounded by the window of lines in flight, whatever the
 * size. A checkpoint (the next line and byte offset, and the report so far) is written
 * atomically at most once a second and at the end, so `resume` continues after a crash or a
 * Ctrl-C from the last checkpoint; lines after it are applied again, which is harmless
 * (applying is idempotent).
 *
 * @example
 * const { report } = await backfillFile('snapshot.jsonl', directoryLineHandler(deps), { maxLineBytes: 65_536 });
 */
export async function backfillFile(file: string, handler: LineHandler, options: BackfillFileOptions): Promise<BackfillCheckpoint> {
  const now = options.now ?? (() => new Date());
  const checkpointFile = options.checkpointFile ?? defaultCheckpointFile(file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const resumed = options.resume ? readCheckpoint(checkpointFile, file, size) : undefined;
  if (resumed?.done) return resumed;
  let position: LineImportPosition = resumed?.position ?? { nextLine: 1, nextOffset: 0 };
  let lastWrite = 0;
  const save = (report: LineImportReport, at: LineImportPosition, done: boolean): BackfillCheckpoint => {
    const checkpoint: BackfillCheckpoint = { version: 1, file, size, position: at, report, done, updatedAt: now().toISOString() };
    // Write then rename: a crash mid-write never leaves a half checkpoint.
    const tmp = path.join(path.dirname(checkpointFile), `.${path.basename(checkpointFile)}.tmp`);
    writeFileSync(tmp, JSON.stringify(checkpoint));
    renameSync(tmp, checkpointFile);
    return checkpoint;
  };

  const stream = createReadStream(file, { start: position.nextOffset });
  const result = await importLines(readLines(stream, { startOffset: position.nextOffset, startLine: position.nextLine, maxLineBytes: options.maxLineBytes }), handler, {
    concurrency: options.concurrency,
    maxLineBytes: options.maxLineBytes,
    report: resumed?.report ?? emptyLineReport(),
    onProgress: (report, at) => {
      position = at;
      if (Date.now() - lastWrite < (options.checkpointEveryMs ?? 1000)) return;
      lastWrite = Date.now();
      save(report, at, false);
      options.onProgress?.(report, at);
    },
  });
  return save(result.report, result.position ?? position, result.done);
}

function readCheckpoint(checkpointFile: string, file: string, size: number): BackfillCheckpoint | undefined {
  if (!existsSync(checkpointFile)) throw new CliError(`No checkpoint ${checkpointFile} to resume from: run without --resume to start.`);
  let checkpoint: BackfillCheckpoint;
  try {
    checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8')) as BackfillCheckpoint;
  } catch (error) {
    throw new CliError(`Cannot read the checkpoint ${checkpointFile}: ${(error as Error).message}`, { cause: error });
  }
  if (checkpoint.version !== 1 || checkpoint.size !== size || path.resolve(checkpoint.file) !== path.resolve(file)) {
    throw new CliError(`${checkpointFile} is the checkpoint of another file (or the file changed since): run without --resume to start over.`);
  }
  return checkpoint;
}
