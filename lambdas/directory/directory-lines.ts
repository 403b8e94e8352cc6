import { effectiveAheadDelaySeconds, parseDirectoryEvent, type DirectoryEvent } from './directory-event';
import type { LineHandler, LineOutcome } from '../platform/line-import/line-handler';
import { applyDirectoryEvent, ApplyOutcome, type ApplyDeps } from './apply-directory-event';

/**
 * Directory events as lines of a file (a backfill, a snapshot: docs/directory-events.md,
 * "Backfill"): each line one event of contract v1, applied exactly as the directory function
 * applies it from its queue. A line whose `effectiveAt` lies more than 5 minutes ahead is
 * refused: a snapshot states the past.
 *
 * `deps.appliedBy` (a snapshot's uploader) is recorded on every correction the lines make.
 *
 * @example
 * await importLines(readLines(stream, { maxLineBytes: MAX_DIRECTORY_BODY_BYTES }), directoryLineHandler(deps), { maxLineBytes });
 */
export function directoryLineHandler(deps: ApplyDeps): LineHandler {
  return {
    name: 'directory events v1',
    async handle(text: string): Promise<LineOutcome> {
      const checked = checkLine(text, deps.now());
      if (!checked.ok) return checked.refused;
      const { outcome } = await applyDirectoryEvent(checked.event, deps);
      return { kind: outcome === ApplyOutcome.APPLIED ? 'APPLIED' : 'UNCHANGED' };
    },
  };
}

/**
 * The same rules without applying anything: a snapshot checked before it is loaded. A valid
 * line counts as `APPLIED` (it would be, or would be known already).
 *
 * @example
 * await importLines(readLines(stream, { maxLineBytes }), directoryCheckHandler(() => new Date()), { maxLineBytes });
 */
export function directoryCheckHandler(now: () => Date): LineHandler {
  return {
    name: 'directory events v1 (checked only)',
    handle: (text: string): Promise<LineOutcome> => {
      const checked = checkLine(text, now());
      return Promise.resolve(checked.ok ? { kind: 'APPLIED' } : checked.refused);
    },
  };
}

function checkLine(text: string, now: Date): { ok: true; event: DirectoryEvent } | { ok: false; refused: LineOutcome } {
  const parsed = parseDirectoryEvent(text, now, '(line)');
  if (!parsed.ok) return { ok: false, refused: { kind: 'REFUSED', issues: parsed.issues } };
  if (effectiveAheadDelaySeconds(parsed.value, now) > 0) {
    return { ok: false, refused: { kind: 'REFUSED', issues: [{ field: 'effectiveAt', rule: 'must not be more than 5 minutes in the future' }] } };
  }
  return { ok: true, event: parsed.value };
}
