/** The calendar fields of an instant as a clock in some time zone shows them. */
export interface WallClock {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 1 = Sunday … 7 = Saturday, as in AWS cron. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Reads an instant's wall-clock fields in an IANA time zone (`Etc/UTC`, `Europe/Berlin`).
 *
 * @example
 * wallClock(new Date('2025-03-30T01:30:00Z'), 'Europe/Berlin').hour // 3 (summer time began)
 */
export function wallClock(instant: Date, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? '') + 1,
  };
}

/**
 * The instant at which a clock in `timeZone` shows the given local date-time
 * (`2025-06-01T09:00:00`); used for `at()` schedules and start/end dates without offset.
 *
 * @example
 * instantOfWallTime('2025-06-01T09:00:00', 'Europe/Berlin').toISOString() // '2025-06-01T07:00:00.000Z'
 */
export function instantOfWallTime(local: string, timeZone: string): Date {
  const guess = new Date(`${local}Z`);
  if (Number.isNaN(guess.getTime())) throw new RangeError(`"${local}" is not a date-time`);
  // Two passes settle the zone offset, DST changes included.
  let instant = guess;
  for (let pass = 0; pass < 2; pass += 1) {
    const shown = wallClock(instant, timeZone);
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second);
    instant = new Date(instant.getTime() + (guess.getTime() - shownAsUtc));
  }
  return instant;
}
