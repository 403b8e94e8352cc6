import type { SendLogLine } from '../../audit/send-log-line';

/** Where imported send-log lines go: ledger rows `imp#<source>#<sourceNoticeId>`. */
export interface ImportedNoticeStore {
  /** Writes the row unless it is there already (a re-import is a no-op). */
  putIfAbsent(line: SendLogLine, importedAt: string): Promise<'written' | 'exists'>;
  /** Remembers that `source` has rows on these UTC days, so a source-only incident can find them. */
  recordSourceDays(source: string, days: readonly string[]): Promise<void>;
}
