import { describe, expect, it } from 'vitest';
import { allowedRate, breakerPauseMs, dailyQuotaAllows, maxInWindow, slotIntervalUs } from '../../../lambdas/mail/send-rate';

describe('the apology rate arithmetic', () => {
  it('allows the configured share of SES MaxSendRate, in whole emails a second', () => {
    expect(allowedRate(14, 0.5)).toBe(7);
    expect(allowedRate(13.98, 0.5)).toBe(6);
    expect(allowedRate(500, 0.5)).toBe(250);
    expect(allowedRate(1, 0.5)).toBe(0.5);
    expect(allowedRate(0, 0.5)).toBe(0);
  });

  it('spaces slots (1 s + tolerance) / rate apart, rounded up', () => {
    expect(slotIntervalUs(100, 50)).toBe(10_500);
    expect(slotIntervalUs(7, 0)).toBe(142_858);
    expect(() => slotIntervalUs(0, 50)).toThrow(RangeError);
  });

  it('counts the most events in any half-open one-second window, wherever it starts', () => {
    expect(maxInWindow([])).toBe(0);
    expect(maxInWindow([0, 400, 999, 1000])).toBe(3);
    // Not aligned to whole seconds: 1500-2499 holds four.
    expect(maxInWindow([100, 1500, 1900, 2000, 2400, 2600])).toBe(4);
    expect(maxInWindow([5, 5, 5])).toBe(3);
  });

  it('stops apologies before they would eat into the notices’ share of the daily quota', () => {
    const quota = { maxSendRate: 14, max24HourSend: 50_000 };
    expect(dailyQuotaAllows({ ...quota, sentLast24Hours: 0 }, 0.5, 60)).toBe(true);
    // 25,000 kept for notices; 7/s for 60 s = 420 must still fit.
    expect(dailyQuotaAllows({ ...quota, sentLast24Hours: 24_580 }, 0.5, 60)).toBe(true);
    expect(dailyQuotaAllows({ ...quota, sentLast24Hours: 24_581 }, 0.5, 60)).toBe(false);
    expect(dailyQuotaAllows({ ...quota, max24HourSend: -1, sentLast24Hours: 10 ** 9 }, 0.5, 60)).toBe(true);
  });

  it('keeps the breaker open 5 s, doubling when it opens again soon, up to a minute', () => {
    expect([0, 1, 2, 3, 4, 9].map(breakerPauseMs)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
