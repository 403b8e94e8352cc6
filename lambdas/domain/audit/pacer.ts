/** How the campaign keeps under SES's sending rate. */
export interface PaceSettings {
  /** SES `SendQuota.MaxSendRate`: emails per second for the whole account. */
  readonly maxSendRate: number;
  /** The share of that rate the apologies may use (notices share the account), 0 < share ≤ 1. */
  readonly share: number;
}

/**
 * Milliseconds between two apologies: the account's rate times our share, rounded down
 * to a whole email per interval so we stay under it.
 *
 * @example
 * sendIntervalMs({ maxSendRate: 14, share: 0.5 }) // 143 (7 per second)
 */
export function sendIntervalMs({ maxSendRate, share }: PaceSettings): number {
  const perSecond = maxSendRate * Math.min(Math.max(share, 0), 1);
  if (!(perSecond > 0)) return 1000;
  return Math.ceil(1000 / perSecond);
}

/**
 * Spaces calls at least `intervalMs` apart. Clock and sleep are injected, so tests run
 * instantly and the pacing is exact.
 *
 * @example
 * const pacer = new Pacer(143, Date.now, (ms) => setTimeout(ms));
 * await pacer.wait(); // returns at once the first time
 */
export class Pacer {
  #next = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<unknown>,
  ) {}

  /** Waits until the next send may start, and books that slot. */
  async wait(): Promise<void> {
    const now = this.now();
    const start = Math.max(now, this.#next);
    if (start > now) await this.sleep(start - now);
    this.#next = start + this.intervalMs;
  }
}

/** When a run stops sending: the per-run cap, or too little time left for one more email. */
export interface RunBudget {
  readonly maxPerRun: number;
  /** Time to keep for finishing up (ledger writes, metrics flush) after the last send. */
  readonly safetyMarginMs: number;
  readonly remainingMs: () => number;
}

/**
 * Why a run stops now, or `undefined` to carry on.
 *
 * @example
 * stopReason({ maxPerRun: 100, safetyMarginMs: 10_000, remainingMs: () => 5_000 }, 3, 143) // 'TIME'
 */
export function stopReason(budget: RunBudget, sentThisRun: number, nextWaitMs: number): 'CAP' | 'TIME' | undefined {
  if (sentThisRun >= budget.maxPerRun) return 'CAP';
  if (budget.remainingMs() - nextWaitMs < budget.safetyMarginMs) return 'TIME';
  return undefined;
}
