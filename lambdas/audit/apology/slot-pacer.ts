import type { SendSlotSchedule } from '../ports/send-slots';

/** How a sender paces itself on the shared slot schedule. */
export interface SlotPacerSettings {
  /** How late after its slot a send may still start; later, it takes a new slot. */
  readonly toleranceMs: number;
  /** How far ahead a sender may book: the slot must come before its invocation runs out. */
  readonly maxAheadMs: number;
}

/** A send waiting for a slot. */
interface Waiting {
  readonly withinMs: number;
  readonly askedMs: number;
  readonly intervalUs: number;
  readonly resolve: (slot: PacedSlot) => void;
  readonly reject: (error: unknown) => void;
}

/** The wall clock and a sleep, injected so tests can run on a fake clock. */
export interface PacerClock {
  /** Milliseconds since the epoch, fractional allowed. */
  readonly nowMs: () => number;
  readonly sleep: (ms: number) => Promise<unknown>;
}

/** A slot this sender holds, or why it holds none (and when to try again). */
export type PacedSlot =
  | { readonly ok: true; readonly slotMs: number }
  | { readonly ok: false; readonly why: 'BREAKER_OPEN' | 'BOOKED_AHEAD'; readonly retryInMs: number };

/**
 * Takes a slot on the shared schedule and waits for it (`acquire`, or `book`, `approach`, the
 * claim, then `waitFor`); `onTime` tells whether a send may still start in it. A send starts only inside `[slot, slot + tolerance]`, which is what the
 * rate bound needs (lambdas/mail/send-rate.ts): the slots are spaced by the schedule,
 * the sends by this window.
 *
 * @example
 * const slot = await pacer.acquire(remainingMs, slotIntervalUs(rate, 50));
 * if (slot.ok && pacer.onTime(slot)) await mailer.send(email);
 */
export class SlotPacer {
  /**
   * Smoothed round trip of a take, ms: slots are booked about two of them ahead (the take's
   * and the claim's), so a grant is not stale on arrival. One pacer per container keeps it.
   */
  #roundTripMs: number;
  /** Sends of this container waiting for a take, and whether one is on its way. */
  #waiting: Waiting[] = [];
  #taking = false;
  /** When each slot's claim began (`approach` returned), and the recent worst claim, ms. */
  readonly #approached = new WeakMap<object, number>();
  #claimMs = 0;

  constructor(
    private readonly schedule: SendSlotSchedule,
    private readonly settings: SlotPacerSettings,
    private readonly clock: PacerClock,
    /** The round trip assumed before any was measured. @default 20 */
    initialRoundTripMs = 20,
  ) {
    this.#roundTripMs = initialRoundTripMs;
  }

  /** Books the next slot (`intervalUs` after the last one handed out), no later than `withinMs` from now (and `maxAheadMs`), then sleeps until it. */
  async acquire(withinMs: number, intervalUs: number): Promise<PacedSlot> {
    const slot = await this.book(withinMs, intervalUs);
    if (slot.ok) await this.waitFor(slot);
    return slot;
  }

  /**
   * Books the next slot, at least the expected round trips ahead (a take's and a claim's):
   * a slot granted "now" would be late by the time the answer and the claim are back. Where
   * a slot lies does not touch the bound: the schedule spaces them, whoever asks when.
   *
   * The sends of one container that ask while a take is on its way wait for the next take and
   * get consecutive slots from it, one request for them all (a block; the schedule spaces the
   * slots of a block as any others). A slot that would come after its sender's `withinMs` is
   * not given to it (the slot goes unused; the bound does not mind).
   */
  book(withinMs: number, intervalUs: number): Promise<PacedSlot> {
    return new Promise<PacedSlot>((resolve, reject) => {
      this.#waiting.push({ withinMs, askedMs: this.clock.nowMs(), intervalUs, resolve, reject });
      if (!this.#taking) void this.#takeForWaiting();
    });
  }

  async #takeForWaiting(): Promise<void> {
    this.#taking = true;
    try {
      while (this.#waiting.length > 0) {
        const intervalUs = this.#waiting[0]!.intervalUs;
        const block = this.#waiting.filter((w) => w.intervalUs === intervalUs);
        this.#waiting = this.#waiting.filter((w) => w.intervalUs !== intervalUs);
        await this.#takeBlock(block, intervalUs).catch((error: unknown) => {
          for (const w of block) w.reject(error);
        });
      }
    } finally {
      this.#taking = false;
    }
  }

  // One take for the block; the i-th waiting send gets the i-th slot, if it comes before its
  // own limit (`withinMs` after it asked, at most `maxAheadMs`; the lead is always allowed).
  async #takeBlock(block: readonly Waiting[], intervalUs: number): Promise<void> {
    const startedMs = this.clock.nowMs();
    const leadMs = this.#leadMs();
    const intervalMs = intervalUs / 1000;
    const limitMs = block.map((w, i) => Math.max(w.askedMs + Math.max(0, Math.min(w.withinMs, this.settings.maxAheadMs)), startedMs + leadMs + i * intervalMs));
    const grant = await this.schedule.take({
      nowUs: Math.floor((startedMs + leadMs) * 1000),
      intervalUs,
      latestUs: Math.floor(Math.min(...limitMs.map((limit, i) => limit - i * intervalMs)) * 1000),
      count: block.length,
    });
    const nowMs = this.clock.nowMs();
    this.#roundTripMs = 0.7 * this.#roundTripMs + 0.3 * (nowMs - startedMs);
    block.forEach((w, i) => {
      if (!grant.granted) return w.resolve({ ok: false, why: grant.why, retryInMs: Math.max(0, grant.retryAtUs / 1000 - nowMs) });
      const slotMs = grant.slotUs / 1000 + i * intervalMs;
      w.resolve(slotMs <= limitMs[i]! ? { ok: true, slotMs } : { ok: false, why: 'BOOKED_AHEAD', retryInMs: 0 });
    });
  }

  /**
   * Sleeps until one round trip before the slot: the moment to claim, so a claim is held only
   * for about a round trip before its send (a sender killed while waiting holds no claim).
   */
  async approach(slot: { readonly slotMs: number }): Promise<void> {
    const waitMs = slot.slotMs - this.#leadMs() - this.clock.nowMs();
    if (waitMs > 0) await this.clock.sleep(waitMs);
    this.#approached.set(slot, this.clock.nowMs());
  }

  /** Sleeps until the slot begins (never returns before it). */
  async waitFor(slot: { readonly slotMs: number }): Promise<void> {
    // The time from `approach` to here is the claim's: the lead keeps its recent worst, slowly forgotten.
    const approachedMs = this.#approached.get(slot);
    if (approachedMs !== undefined) {
      this.#approached.delete(slot);
      this.#claimMs = Math.max(this.clock.nowMs() - approachedMs, 0.95 * this.#claimMs);
    }
    const waitMs = slot.slotMs - this.clock.nowMs();
    if (waitMs > 0) await this.clock.sleep(waitMs);
    // A timer may wake a hair early: never start before the slot.
    while (this.clock.nowMs() < slot.slotMs) await this.clock.sleep(slot.slotMs - this.clock.nowMs());
  }

  // A take's and a claim's round trip, with room to spare: a claim back after the slot's
  // tolerance wastes the slot (on a loaded machine the claim's tail, not its mean, decides).
  #leadMs(): number {
    return Math.min(500, Math.max(2.5 * this.#roundTripMs, 1.25 * this.#claimMs) + 1);
  }

  /** Opens the schedule's breaker now (every sender stops taking slots); returns when it closes, µs. */
  openBreaker(): Promise<number> {
    return this.schedule.openBreaker(Math.floor(this.clock.nowMs() * 1000));
  }

  /** True while a send may still start in this slot. */
  onTime(slot: { readonly slotMs: number }): boolean {
    const now = this.clock.nowMs();
    return now >= slot.slotMs && now <= slot.slotMs + this.settings.toleranceMs;
  }
}
