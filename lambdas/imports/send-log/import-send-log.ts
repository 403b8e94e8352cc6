import { parseSendLogLine, type SendLogIssue, type SendLogLine } from '../../audit/send-log-line';
import type { ImportedNoticeStore } from '../ports/imported-notices';

/** What an import did, line by line counted. */
export interface ImportReport {
  /** Non-blank lines read. */
  lines: number;
  /** Written to the ledger now. */
  accepted: number;
  /** Valid, but already in the ledger (an earlier import of the same log). */
  alreadyPresent: number;
  /** Invalid lines; each has at least one entry in `issues`. */
  refused: number;
  /** Every broken rule, up to `maxIssues`. */
  issues: SendLogIssue[];
  /** True when more issues were found than are listed. */
  issuesTruncated: boolean;
}

export interface ImportOptions {
  readonly now: () => Date;
  /** Conditional writes in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Issues kept for the report. @default 1000 */
  readonly maxIssues?: number;
  /** Number of the first line given, when they are a page of a longer log. @default 1 */
  readonly firstLine?: number;
  /**
   * Who imports (`AWS:AIDA…`, `AWS:AROA…:<session>`, the form S3 names an uploader in), recorded
   * on every row written: they may not approve a campaign that apologises for those rows.
   */
  readonly importedBy?: string;
  /** Called after each batch, for a progress display. */
  readonly onProgress?: (report: Readonly<ImportReport>) => void;
}

/**
 * Imports a send log (JSON Lines, format v1: docs/send-log-format.md) into the ledger.
 * Each line is validated on its own; a bad line is refused with its line number, field
 * and rule, and the rest still go in. Re-importing the same log writes nothing new.
 *
 * @example
 * const report = await importSendLog(readLines('legacy.jsonl'), store, { now: () => new Date() });
 * // { lines: 120, accepted: 117, alreadyPresent: 0, refused: 3, issues: [...] }
 */
export async function importSendLog(
  lines: AsyncIterable<string> | Iterable<string>,
  store: ImportedNoticeStore,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, accepted: 0, alreadyPresent: 0, refused: 0, issues: [], issuesTruncated: false };
  const maxIssues = options.maxIssues ?? 1000;
  const concurrency = options.concurrency ?? 16;
  const importedAt = options.now().toISOString();
  const daysBySource = new Map<string, Set<string>>();
  let batch: SendLogLine[] = [];

  const flush = async (): Promise<void> => {
    const results = await Promise.all(batch.map((line) => store.putIfAbsent(line, importedAt, options.importedBy)));
    for (const r of results) {
      if (r.outcome === 'written') report.accepted += 1;
      else report.alreadyPresent += 1;
    }
    batch = [];
    options.onProgress?.(report);
  };

  let lineNumber = (options.firstLine ?? 1) - 1;
  for await (const raw of lines) {
    lineNumber += 1;
    if (raw.trim() === '') continue;
    report.lines += 1;
    const parsed = parseSendLogLine(raw, lineNumber);
    if (!parsed.ok) {
      report.refused += 1;
      for (const issue of parsed.issues) {
        if (report.issues.length < maxIssues) report.issues.push(issue);
        else report.issuesTruncated = true;
      }
      continue;
    }
    const day = new Date(parsed.notice.sentAt).toISOString().slice(0, 10);
    const days = daysBySource.get(parsed.notice.source) ?? new Set<string>();
    days.add(day);
    daysBySource.set(parsed.notice.source, days);
    batch.push(parsed.notice);
    if (batch.length >= concurrency) await flush();
  }
  await flush();
  for (const [source, days] of daysBySource) await store.recordSourceDays(source, [...days].sort());
  return report;
}
