import type { SendLogLine } from '../../audit/send-log-line';
import type { ErasedCustomer } from '../../platform/line-import/line-handler';

/** What a put did, and the erased customer the row is about (it was written without the address), if any. */
export interface ImportedNoticePut {
  readonly outcome: 'written' | 'exists';
  readonly erased?: ErasedCustomer;
}

/** Where imported send-log lines go: ledger rows `imp#<source>#<sourceNoticeId>`. */
export interface ImportedNoticeStore {
  /**
   * Writes the row unless it is there already (a re-import is a no-op), with who imported it
   * (`importedBy`: `AWS:AIDA…`, `AWS:AROA…:<session>`), who may then not approve its apology.
   */
  putIfAbsent(line: SendLogLine, importedAt: string, importedBy?: string): Promise<ImportedNoticePut>;
  /** Remembers that `source` has rows on these UTC days, so a source-only incident can find them. */
  recordSourceDays(source: string, days: readonly string[]): Promise<void>;
}
