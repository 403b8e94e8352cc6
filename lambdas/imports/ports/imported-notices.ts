import type { SendLogLine } from '../../audit/send-log-line';

/** Where imported send-log lines go: ledger rows `imp#<source>#<sourceNoticeId>`. */
export interface ImportedNoticeStore {
  /**
   * Writes the row unless it is there already (a re-import is a no-op), with who imported it
   * (`importedBy`: `AWS:AIDA…`, `AWS:AROA…:<session>`), who may then not approve its apology.
   */
  putIfAbsent(line: SendLogLine, importedAt: string, importedBy?: string): Promise<'written' | 'exists'>;
  /** Remembers that `source` has rows on these UTC days, so a source-only incident can find them. */
  recordSourceDays(source: string, days: readonly string[]): Promise<void>;
}
