import { parseSendLogLine } from '../../audit/send-log-line';
import type { ImportedNoticeStore } from '../ports/imported-notices';
import type { LineHandler, LineOutcome } from '../../platform/line-import/line-handler';

/**
 * Another system's send log (JSON Lines, format v1: docs/send-log-format.md) as lines of a file
 * for the import engine (`lambdas/platform/line-import/`), so a large log uploaded to the import bucket
 * under `send-logs/` is imported by the S3 import function, chunk by chunk and resumable: each
 * line validated on its own (refused with its field and rule), written as `importSendLog` writes
 * it (a ledger row `imp#<source>#<sourceNoticeId>` conditional on its key, so a re-import or a
 * line handled twice after a resume changes nothing: `UNCHANGED`).
 *
 * Every row written names its uploader (`options.importedBy`, as S3's event names them), who may
 * not approve a campaign that apologises for it (docs/operator.md, "Identity and the two-person rule").
 *
 * Each source's UTC day is recorded (for source-only incidents) before the first row of that
 * day is written, once per handler: the days seen are kept, a few per source, never the lines.
 *
 * @example
 * await importLines(readLines(stream, { maxLineBytes: MAX_SEND_LOG_LINE_BYTES }), sendLogLineHandler(store, () => new Date()), { maxLineBytes });
 */
export function sendLogLineHandler(store: ImportedNoticeStore, now: () => Date, options: { readonly importedBy?: string } = {}): LineHandler {
  const recordedDays = new Map<string, Promise<void>>();
  const recordDay = (source: string, day: string): Promise<void> => {
    const key = `${source}\n${day}`;
    let recorded = recordedDays.get(key);
    if (!recorded) {
      // One write per source and day, shared by the lines in flight; a failed one is tried again.
      recorded = store.recordSourceDays(source, [day]).catch((error: unknown) => {
        recordedDays.delete(key);
        throw error;
      });
      recordedDays.set(key, recorded);
    }
    return recorded;
  };
  return {
    name: 'send log v1',
    async handle(text: string, lineNumber: number): Promise<LineOutcome> {
      const parsed = parseSendLogLine(text, lineNumber);
      if (!parsed.ok) return { kind: 'REFUSED', issues: parsed.issues.map(({ field, rule }) => ({ field, rule })) };
      await recordDay(parsed.notice.source, new Date(parsed.notice.sentAt).toISOString().slice(0, 10));
      const put = await store.putIfAbsent(parsed.notice, now().toISOString(), options.importedBy);
      // Written before or now, the row names an erased customer, and so does the file.
      return { kind: put.outcome === 'written' ? 'APPLIED' : 'UNCHANGED', ...(put.erased ? { erased: put.erased } : {}) };
    },
  };
}
