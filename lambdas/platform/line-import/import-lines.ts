import type { ErasedCustomer, LineHandler } from './line-handler';
import type { SourceLine } from './read-lines';

/** One broken rule on one line. */
export interface LineIssue {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly field: string;
  readonly rule: string;
}

/** What an import did so far, line by line counted. */
export interface LineImportReport {
  /** Non-blank lines handled. */
  lines: number;
  applied: number;
  /** Valid, and known already (a re-import, a replayed snapshot). */
  unchanged: number;
  /** Invalid lines; each has at least one entry in `issues` (up to `maxIssues`). */
  refused: number;
  issues: LineIssue[];
  /** More issues were found than are listed. */
  issuesTruncated: boolean;
}

/** Where an import stands: the next line to handle and its byte offset. */
export interface LineImportPosition {
  readonly nextLine: number;
  readonly nextOffset: number;
}

export interface ImportLinesOptions {
  /** Lines handled at once. @default 32 */
  readonly concurrency?: number;
  /** Issues kept in the report. @default 1000 */
  readonly maxIssues?: number;
  /** The report to continue (a resumed import). @default an empty one */
  readonly report?: LineImportReport;
  /** Asked after each window of lines: `true` stops here (time is short), resumable from the position. */
  readonly shouldStop?: () => boolean;
  /** Told after each window, with the position every line before which is done: a checkpoint. */
  readonly onProgress?: (report: Readonly<LineImportReport>, position: LineImportPosition) => void | Promise<void>;
  /** The longest line, for the `oversized` rule. */
  readonly maxLineBytes: number;
}

/** An empty report. */
export function emptyLineReport(): LineImportReport {
  return { lines: 0, applied: 0, unchanged: 0, refused: 0, issues: [], issuesTruncated: false };
}

/**
 * Imports JSON Lines through a {@link LineHandler}: each line on its own (a bad line is refused
 * with its line number, field and rule; the rest go on), `concurrency` lines at a time, in
 * memory bounded by that window and the issue cap, whatever the file's size. After each window
 * every line before the returned position is done, so an import stopped there (by
 * `shouldStop`, a crash, a throttled write that threw) resumes from it; lines a handler applies
 * twice must be idempotent, as the directory's are. `erased`: the erased customers the lines
 * handled in this call are about (a line's outcome says so), once each, their hashes merged.
 *
 * @example
 * const { report, done } = await importLines(readLines(stream, { maxLineBytes }), handler, { maxLineBytes });
 */
export async function importLines(
  lines: AsyncIterable<SourceLine>,
  handler: LineHandler,
  options: ImportLinesOptions,
): Promise<{ report: LineImportReport; position?: LineImportPosition; done: boolean; erased: ErasedCustomer[] }> {
  const report = options.report ?? emptyLineReport();
  const concurrency = options.concurrency ?? 32;
  const maxIssues = options.maxIssues ?? 1000;
  let position: LineImportPosition | undefined;
  let window: SourceLine[] = [];
  const erased = new Map<string, Set<string>>();
  const erasedCustomers = (): ErasedCustomer[] => [...erased].map(([customerId, hashes]) => ({ customerId, addressHashes: [...hashes] }));

  const handleWindow = async (): Promise<void> => {
    const outcomes = await Promise.all(window.map((line) => handleLine(line)));
    for (const [i, outcome] of outcomes.entries()) {
      const line = window[i]!;
      if (outcome === undefined) continue;
      report.lines += 1;
      if (outcome.kind !== 'REFUSED' && outcome.erased) {
        const hashes = erased.get(outcome.erased.customerId) ?? new Set<string>();
        for (const hash of outcome.erased.addressHashes) hashes.add(hash);
        erased.set(outcome.erased.customerId, hashes);
      }
      if (outcome.kind === 'APPLIED') report.applied += 1;
      else if (outcome.kind === 'UNCHANGED') report.unchanged += 1;
      else {
        report.refused += 1;
        for (const issue of outcome.issues) {
          if (report.issues.length < maxIssues) report.issues.push({ line: line.lineNumber, ...issue });
          else report.issuesTruncated = true;
        }
      }
    }
    const last = window.at(-1)!;
    position = { nextLine: last.lineNumber + 1, nextOffset: last.endOffset };
    window = [];
    await options.onProgress?.(report, position);
  };

  const handleLine = (line: SourceLine) => {
    if (line.oversized) return Promise.resolve({ kind: 'REFUSED' as const, issues: [{ field: '(line)', rule: `must be at most ${options.maxLineBytes} bytes` }] });
    if (line.text.trim() === '') return Promise.resolve(undefined);
    return handler.handle(line.text, line.lineNumber);
  };

  for await (const line of lines) {
    window.push(line);
    if (window.length < concurrency) continue;
    await handleWindow();
    if (options.shouldStop?.()) return { report, position, done: false, erased: erasedCustomers() };
  }
  if (window.length > 0) await handleWindow();
  return { report, ...(position ? { position } : {}), done: true, erased: erasedCustomers() };
}
