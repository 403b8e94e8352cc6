import { ScheduleExpressionError } from '../../errors';
import { wallClock, type WallClock } from './wall-clock';

/** A parsed AWS cron expression: the allowed values of each field. */
export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Undefined when the field is `?`. */
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number>;
  /** 1 = Sunday … 7 = Saturday; undefined when the field is `?`. */
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  /** Undefined means any year. */
  readonly years: ReadonlySet<number> | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Parses the six fields of an AWS cron expression (`minutes hours day-of-month month
 * day-of-week year`), with `*`, `?`, lists, ranges, steps (`0/15`, `1-5/2`) and month/day
 * names. `L`, `W` and `#` are not supported locally and fail loudly.
 *
 * @example
 * parseCron('0/15 * * * ? *').minutes // Set { 0, 15, 30, 45 }
 */
export function parseCron(expression: string): CronFields {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(`cron(${expression}) must have 6 fields, has ${fields.length}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (/[LW#]/i.test(`${dom} ${dow}`.replace(/[A-Z]{3}/gi, (name) => (DAYS.includes(name.toUpperCase()) ? '' : name)))) {
    throw new ScheduleExpressionError(`cron(${expression}): L, W and # are not supported by the local scheduler`);
  }
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleExpressionError(`cron(${expression}): exactly one of day-of-month and day-of-week must be "?"`);
  }
  return {
    minutes: field(minutes, 0, 59, expression),
    hours: field(hours, 0, 23, expression),
    daysOfMonth: dom === '?' ? undefined : field(dom, 1, 31, expression),
    months: field(month, 1, 12, expression, MONTHS),
    daysOfWeek: dow === '?' ? undefined : field(dow, 1, 7, expression, DAYS),
    years: year === '*' ? undefined : field(year, 1970, 2199, expression),
  };
}

/**
 * The first whole minute strictly after `after` that the cron fields match, as a clock in
 * `timeZone` shows it; undefined if none within five years.
 *
 * @example
 * nextCronFire(parseCron('0 9 * * ? *'), new Date('2025-01-01T10:00:00Z'), 'Etc/UTC') // 2025-01-02T09:00:00Z
 */
export function nextCronFire(fields: CronFields, after: Date, timeZone: string): Date | undefined {
  let candidate = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const limit = after.getTime() + 5 * 366 * 24 * 3_600_000;
  while (candidate <= limit) {
    const clock = wallClock(new Date(candidate), timeZone);
    if (!dayMatches(fields, clock)) {
      candidate += ((23 - clock.hour) * 60 + (60 - clock.minute)) * 60_000;
    } else if (!fields.hours.has(clock.hour)) {
      candidate += (60 - clock.minute) * 60_000;
    } else if (!fields.minutes.has(clock.minute)) {
      candidate += 60_000;
    } else {
      return new Date(candidate);
    }
  }
  return undefined;
}

function dayMatches(fields: CronFields, clock: WallClock): boolean {
  if (fields.years !== undefined && !fields.years.has(clock.year)) return false;
  if (!fields.months.has(clock.month)) return false;
  if (fields.daysOfMonth !== undefined && !fields.daysOfMonth.has(clock.day)) return false;
  if (fields.daysOfWeek !== undefined && !fields.daysOfWeek.has(clock.weekday)) return false;
  return true;
}

function field(text: string, min: number, max: number, expression: string, names?: readonly string[]): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const index = names?.indexOf(token.toUpperCase()) ?? -1;
    const number = index >= 0 ? index + 1 : Number(token);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new ScheduleExpressionError(`cron(${expression}): "${token}" is outside ${min}–${max}`);
    }
    return number;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`cron(${expression}): bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [start = '', end = ''] = range.split('-');
      [from, to] = [value(start), value(end)];
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}
