import { describe, expect, it } from 'vitest';
import { instantOfWallTime, parseCron, parseScheduleExpression, ScheduleExpressionError } from '@registry-notices/local-stack';

const anchor = new Date('2026-01-01T00:00:00Z');

describe('parseScheduleExpression: rate()', () => {
  it.each([
    ['rate(1 minute)', '2026-01-01T00:01:00.000Z'],
    ['rate(15 minutes)', '2026-01-01T00:15:00.000Z'],
    ['rate(2 hours)', '2026-01-01T02:00:00.000Z'],
    ['rate(1 day)', '2026-01-02T00:00:00.000Z'],
  ])('fires %s one period after the anchor', (text, first) => {
    expect(parseScheduleExpression(text, { anchor }).next(anchor)?.toISOString()).toBe(first);
  });

  it('keeps to the anchor’s grid when asked in between', () => {
    const every15 = parseScheduleExpression('rate(15 minutes)', { anchor });
    expect(every15.next(new Date('2026-01-01T00:31:10Z'))?.toISOString()).toBe('2026-01-01T00:45:00.000Z');
  });

  it.each(['rate(0 minutes)', 'rate(5 weeks)', 'rate(minutes)', 'every(5 minutes)'])('rejects %s', (text) => {
    expect(() => parseScheduleExpression(text, { anchor })).toThrow(ScheduleExpressionError);
  });
});

describe('parseScheduleExpression: cron()', () => {
  it('fires every 15 minutes with 0/15', () => {
    const cron = parseScheduleExpression('cron(0/15 * * * ? *)', { anchor });
    expect(cron.next(new Date('2026-03-10T10:07:30Z'))?.toISOString()).toBe('2026-03-10T10:15:00.000Z');
  });

  it('fires on weekdays at 09:00 using day names', () => {
    // 2026-01-03 is a Saturday: the next weekday 09:00 is Monday the 5th.
    const cron = parseScheduleExpression('cron(0 9 ? * MON-FRI *)', { anchor });
    expect(cron.next(new Date('2026-01-03T12:00:00Z'))?.toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });

  it('reads the expression in its time zone', () => {
    // 09:00 in Berlin in summer is 07:00 UTC.
    const cron = parseScheduleExpression('cron(0 9 * * ? *)', { anchor, timeZone: 'Europe/Berlin' });
    expect(cron.next(new Date('2026-06-01T08:00:00Z'))?.toISOString()).toBe('2026-06-02T07:00:00.000Z');
  });

  it('finds a monthly run on the first of the month', () => {
    const cron = parseScheduleExpression('cron(30 2 1 * ? *)', { anchor });
    expect(cron.next(new Date('2026-01-15T00:00:00Z'))?.toISOString()).toBe('2026-02-01T02:30:00.000Z');
  });

  it('has no run after its last year', () => {
    const cron = parseScheduleExpression('cron(0 0 1 1 ? 2025)', { anchor });
    expect(cron.next(anchor)).toBeUndefined();
  });

  it.each([
    ['0 9 * * * *', /exactly one of day-of-month and day-of-week/],
    ['0 9 L * ? *', /L, W and # are not supported/],
    ['0 9 ? * 2#1 *', /L, W and # are not supported/],
    ['61 * * * ? *', /outside 0–59/],
    ['0 9 * *', /must have 6 fields/],
  ])('rejects cron(%s)', (fields, message) => {
    expect(() => parseCron(fields)).toThrow(message);
  });
});

describe('parseScheduleExpression: at()', () => {
  it('fires once at the given local time', () => {
    const at = parseScheduleExpression('at(2026-06-01T09:00:00)', { anchor, timeZone: 'Europe/Berlin' });
    expect(at.next(anchor)?.toISOString()).toBe('2026-06-01T07:00:00.000Z');
    expect(at.next(new Date('2026-06-01T08:00:00Z'))).toBeUndefined();
  });
});

describe('instantOfWallTime', () => {
  it('converts a wall-clock time across a DST change', () => {
    expect(instantOfWallTime('2026-01-15T09:00:00', 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(instantOfWallTime('2026-07-15T09:00:00', 'Europe/Berlin').toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });
});
