/** How many key checks (KMS `VerifyMac`) one execution environment may make. */
export interface VerifyBudgetSettings {
  /** Checks per second, all addresses together (the bucket refills at this rate and holds as many). */
  readonly perSecond: number;
  /** Checks in a row one address may have before it waits (its own bucket's size). */
  readonly perAddressBurst: number;
  /** Seconds one address's bucket takes to regain one check. */
  readonly perAddressRefillSeconds: number;
  /** Addresses remembered at once; the oldest are forgotten first (memory stays bounded under a flood). */
  readonly maxAddresses: number;
}

/** Defaults sized in docs/unsubscribe.md: 10 checks a second per environment, 3 in a row per address, then one per 20 s. */
export const DEFAULT_VERIFY_BUDGET: VerifyBudgetSettings = { perSecond: 10, perAddressBurst: 3, perAddressRefillSeconds: 20, maxAddresses: 10_000 };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in front of the unsubscribe key: one for the environment (so the endpoint's
 * share of the account's KMS HMAC quota is capped, whatever arrives) and one per address hash
 * (so junk aimed at one known address uses that address's checks, not everyone's). Hand-written:
 * the few lines of a token bucket are smaller than a rate-limit library built for servers, and it
 * needs nothing but a clock.
 *
 * @example
 * const budget = new VerifyBudget(DEFAULT_VERIFY_BUDGET, () => Date.now());
 * if (budget.take(addressHash)) await verify(...); else answerTryLater();
 */
export class VerifyBudget {
  readonly #global: Bucket;
  readonly #addresses = new Map<string, Bucket>();

  constructor(
    private readonly settings: VerifyBudgetSettings,
    private readonly nowMs: () => number,
  ) {
    this.#global = { tokens: settings.perSecond, at: nowMs() };
  }

  /** Takes one check for `addressHash` if both its bucket and the environment's have one; false: do not ask the key now. */
  take(addressHash: string): boolean {
    const now = this.nowMs();
    refill(this.#global, now, this.settings.perSecond, this.settings.perSecond);
    const address = this.#addresses.get(addressHash) ?? { tokens: this.settings.perAddressBurst, at: now };
    refill(address, now, this.settings.perAddressBurst, 1 / this.settings.perAddressRefillSeconds);
    // Re-inserted on every use, so the Map's order is least recently used first.
    this.#addresses.delete(addressHash);
    this.#addresses.set(addressHash, address);
    if (this.#addresses.size > this.settings.maxAddresses) this.#addresses.delete(this.#addresses.keys().next().value!);
    if (this.#global.tokens < 1 || address.tokens < 1) return false;
    this.#global.tokens -= 1;
    address.tokens -= 1;
    return true;
  }
}

function refill(bucket: Bucket, now: number, capacity: number, perSecond: number): void {
  bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
  bucket.at = now;
}
