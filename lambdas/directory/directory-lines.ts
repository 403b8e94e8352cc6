import { effectiveAheadDelaySeconds, parseDirectoryEvent } from '../domain/directory/directory-event';
import type { LineHandler, LineOutcome } from '../ports/line-handler';
import { applyDirectoryEvent, ApplyOutcome, type ApplyDeps } from './apply-directory-event';

/**
 * Directory events as lines of a file (a backfill, a snapshot: docs/directory-events.md,
 * "Backfill"): each line one event of contract v1, applied exactly as the directory function
 * applies it from its queue. A line whose `effectiveAt` lies more than 5 minutes ahead is
 * refused: a snapshot states the past.
 *
 * @example
 * await importLines(readLines(stream, { maxLineBytes: MAX_DIRECTORY_BODY_BYTES }), directoryLineHandler(deps), { maxLineBytes });
 */
export function directoryLineHandler(deps: ApplyDeps): LineHandler {
  return {
    name: 'directory events v1',
    async handle(text: string): Promise<LineOutcome> {
      const now = deps.now();
      const parsed = parseDirectoryEvent(text, now, '(line)');
      if (!parsed.ok) return { kind: 'REFUSED', issues: parsed.issues };
      if (effectiveAheadDelaySeconds(parsed.value, now) > 0) {
        return { kind: 'REFUSED', issues: [{ field: 'effectiveAt', rule: 'must not be more than 5 minutes in the future' }] };
      }
      const { outcome } = await applyDirectoryEvent(parsed.value, deps);
      return { kind: outcome === ApplyOutcome.APPLIED ? 'APPLIED' : 'UNCHANGED' };
    },
  };
}
