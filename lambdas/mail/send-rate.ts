/**
 * The apology sending rate, as pure arithmetic: the allowed rate, the spacing of send slots
 * that keeps every one-second window at or under it, the daily quota, and the check itself.
 *
 * Why the spacing holds (docs/audit-and-apology.md, "The rate bound"): slots are handed out
 * by one shared schedule, each at least `interval` after the one before; a send happens at
 * its slot or up to `tolerance` after it (a later one takes a new slot). So two sends k slots
 * apart are at least k·interval − tolerance apart, and with interval = (1 s + tolerance) / r,
 * m sends inside a half-open second need (m − 1)·(1 s + tolerance) / r − tolerance < 1 s,
 * i.e. m < r + 1: at most r sends in any window [t, t + 1 s), wherever it starts.
 */

/** SES's sending limits (`GetAccount` → `SendQuota`). */
export interface SesSendQuota {
  /** Emails per second the whole account may send. */
  readonly maxSendRate: number;
  /** Emails the account may send in a rolling 24 hours. */
  readonly max24HourSend: number;
  /** Emails the account sent in the last 24 hours (SES counts them with a short lag). */
  readonly sentLast24Hours: number;
}

/**
 * Apologies per second: the account's rate times our share (notices share the account).
 * Whole emails only when at least one a second, so a window can never hold a fraction too many.
 *
 * @example
 * allowedRate(14, 0.5) // 7
 * allowedRate(13.98, 0.5) // 6 (6.99 rounded down)
 */
export function allowedRate(maxSendRate: number, share: number): number {
  const perSecond = maxSendRate * Math.min(Math.max(share, 0), 1);
  if (!(perSecond > 0)) return 0;
  return perSecond >= 1 ? Math.floor(perSecond) : perSecond;
}

/**
 * Microseconds between two slots for `rate` sends a second when a send may start up to
 * `toleranceMs` after its slot (rounded up: never closer).
 *
 * @example
 * slotIntervalUs(100, 50) // 10500
 */
export function slotIntervalUs(rate: number, toleranceMs: number): number {
  if (!(rate > 0)) throw new RangeError('rate must be positive');
  return Math.ceil(((1000 + toleranceMs) * 1000) / rate);
}

/**
 * The most events inside any half-open window `[t, t + windowMs)`, wherever it starts
 * (sliding, not only aligned to whole seconds): the measure the rate bound promises.
 *
 * @example
 * maxInWindow([0, 400, 999, 1000], 1000) // 3
 */
export function maxInWindow(timesMs: readonly number[], windowMs = 1000): number {
  const t = [...timesMs].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i += 1) {
    if (j < i) j = i;
    while (j < t.length && t[j]! < t[i]! + windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  return best;
}

/**
 * Whether apologies may go on under SES's daily quota: the account keeps the notices' share
 * of `Max24HourSend` free, and what could be sent at the full allowed rate before the quota is
 * read again (`horizonSeconds`) must still fit, so a stale reading never overshoots.
 *
 * @example
 * dailyQuotaAllows({ maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 10 }, 0.5, 60) // true
 */
export function dailyQuotaAllows(quota: SesSendQuota, share: number, horizonSeconds: number): boolean {
  if (!(quota.max24HourSend > 0)) return true; // -1: unlimited
  const reserve = (1 - Math.min(Math.max(share, 0), 1)) * quota.max24HourSend;
  const headroom = quota.max24HourSend - quota.sentLast24Hours - reserve;
  return headroom >= allowedRate(quota.maxSendRate, share) * horizonSeconds;
}

/** How long the shared circuit breaker stays open after SES did not take an email: 5 s, doubling per opening in a row, at most 60 s. */
export function breakerPauseMs(opensInARow: number): number {
  return Math.min(60_000, 5_000 * 2 ** Math.max(0, Math.min(opensInARow, 10)));
}
