import { ScheduleExpressionError } from '../../errors';
import { nextCronFire, parseCron } from './cron-expression';
import { instantOfWallTime } from './wall-clock';

/** A parsed EventBridge Scheduler expression that can tell its next firing time. */
export interface ScheduleExpression {
  readonly text: string;
  /** The first firing strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses `rate(<n> minute|minutes|hour|hours|day|days)`, `cron(<6 fields>)` and
 * `at(yyyy-mm-ddThh:mm:ss)` as EventBridge Scheduler reads them. A rate counts from
 * `anchor` (the schedule's start date, or when the local scheduler started); cron and at
 * are read in `timeZone` (`ScheduleExpressionTimezone`, default UTC).
 *
 * @example
 * parseScheduleExpression('rate(5 minutes)', { anchor: new Date(0) }).next(new Date(0)) // 1970-01-01T00:05:00Z
 */
export function parseScheduleExpression(
  text: string,
  options: { readonly anchor: Date; readonly timeZone?: string },
): ScheduleExpression {
  const timeZone = options.timeZone ?? 'Etc/UTC';
  const match = /^(rate|cron|at)\((.*)\)$/.exec(text.trim());
  if (!match) throw new ScheduleExpressionError(`"${text}" is not rate(...), cron(...) or at(...)`);
  const [, kind, body = ''] = match;
  if (kind === 'rate') {
    const rate = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body.trim());
    const amount = Number(rate?.[1]);
    if (!rate || amount < 1) throw new ScheduleExpressionError(`rate(${body}) is not "<positive number> <minutes|hours|days>"`);
    const period = amount * (UNIT_MS[(rate[2] ?? '').replace(/s$/, '')] ?? 0);
    const anchor = options.anchor.getTime();
    return {
      text,
      next: (after) => new Date(anchor + (Math.floor(Math.max(0, after.getTime() - anchor) / period) + 1) * period),
    };
  }
  if (kind === 'cron') {
    const fields = parseCron(body);
    return { text, next: (after) => nextCronFire(fields, after, timeZone) };
  }
  let at: Date;
  try {
    at = instantOfWallTime(body.trim(), timeZone);
  } catch (error) {
    throw new ScheduleExpressionError(`at(${body}) is not a date-time "yyyy-mm-ddThh:mm:ss"`, { cause: error });
  }
  return { text, next: (after) => (at.getTime() > after.getTime() ? at : undefined) };
}
