import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlotPacer } from '../../../lambdas/audit/apology/slot-pacer';
import { allowedRate, maxInWindow, slotIntervalUs } from '../../../lambdas/mail/send-rate';
import { InMemorySendSlots } from '../../helpers/in-memory-send-slots';

/** A random source from a seed, so each fast-check case plays the same delays every time. */
function randomFrom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

interface Scenario {
  readonly maxSendRate: number;
  readonly share: number;
  readonly toleranceMs: number;
  readonly senders: number;
  /** Upper bound of a round trip to the schedule, ms. */
  readonly roundTripMs: number;
  /** Upper bound of a timer waking late, ms (above the tolerance: the sender must take a new slot). */
  readonly lateWakeMs: number;
  /** Upper bound of the claim's time between the slot and the send, ms. */
  readonly claimMs: number;
  /** Senders that stop and start again mid-way (a restart: a new pacer, the same schedule). */
  readonly restarts: number;
  /**
   * Sends in flight in each container, sharing its pacer: as a batch's records, which start
   * together and end with the last of them, so their takes come in blocks. @default 1
   */
  readonly perContainer?: number;
  readonly seed: number;
}

/** Plays `senders` concurrent containers on one schedule for `durationMs` of fake time; the times each send started, and the schedule. */
async function play(s: Scenario, durationMs: number): Promise<number[]> {
  return (await playOn(s, durationMs)).sends;
}

async function playOn(s: Scenario, durationMs: number): Promise<{ sends: number[]; schedule: InMemorySendSlots }> {
  const random = randomFrom(s.seed);
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const schedule = new InMemorySendSlots(() => wait(Math.floor(random() * s.roundTripMs)));
  const rate = allowedRate(s.maxSendRate, s.share);
  const settings = { intervalUs: slotIntervalUs(rate, s.toleranceMs), toleranceMs: s.toleranceMs, maxAheadMs: 20_000 };
  const clock = { nowMs: () => Date.now(), sleep: (ms: number) => wait(ms + Math.floor(random() * s.lateWakeMs)) };
  const sends: number[] = [];
  const end = Date.now() + durationMs;
  const sender = async (lifeMs: number): Promise<void> => {
    const pacer = new SlotPacer(schedule, settings, clock);
    const stopAt = Math.min(end, Date.now() + lifeMs);
    // One batch after another; a batch's records run side by side and the batch ends with the last.
    while (Date.now() < stopAt) await Promise.all(Array.from({ length: s.perContainer ?? 1 }, () => record(pacer, stopAt)));
  };
  // One record: as the sender, book, claim (a round trip), wait for the slot, send only if still on time; else book again.
  const record = async (pacer: SlotPacer, stopAt: number): Promise<void> => {
    while (Date.now() < stopAt) {
      const slot = await pacer.book(stopAt - Date.now(), settings.intervalUs);
      if (!slot.ok) {
        await wait(Math.max(1, slot.retryInMs));
        continue;
      }
      await pacer.approach(slot);
      await wait(Math.floor(random() * s.claimMs));
      await pacer.waitFor(slot);
      if (pacer.onTime(slot)) {
        sends.push(Date.now());
        return;
      }
    }
  };
  const all = [
    ...Array.from({ length: s.senders }, () => sender(durationMs)),
    // Restarted senders: each lives a while, dies, and a new one (a new pacer) takes its place.
    ...Array.from({ length: s.restarts }, async () => {
      while (Date.now() < end) await sender(200 + Math.floor(random() * 800));
    }),
  ];
  await vi.advanceTimersByTimeAsync(durationMs + 25_000);
  await Promise.all(all);
  return { sends, schedule };
}

describe('the shared slot schedule (SlotPacer over the schedule)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_800_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never lets any one-second window (sliding) hold more sends than the allowed rate, whatever the concurrency, delays and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          maxSendRate: fc.integer({ min: 2, max: 400 }),
          share: fc.constantFrom(0.25, 0.5, 0.8, 1),
          toleranceMs: fc.integer({ min: 0, max: 100 }),
          senders: fc.integer({ min: 1, max: 30 }),
          roundTripMs: fc.integer({ min: 0, max: 40 }),
          lateWakeMs: fc.integer({ min: 0, max: 150 }),
          claimMs: fc.integer({ min: 0, max: 60 }),
          restarts: fc.integer({ min: 0, max: 5 }),
          perContainer: fc.integer({ min: 1, max: 10 }),
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        }),
        async (scenario) => {
          // Act
          const sends = await play(scenario, 3_000);

          // Assess
          const rate = allowedRate(scenario.maxSendRate, scenario.share);
          expect(maxInWindow(sends, 1000)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('keeps the allowed rate busy when nothing is late: 1000 / (1000 + tolerance) of it', async () => {
    // Act: 100/s allowed, 50 ms tolerance, 20 senders with prompt round trips, for 10 s.
    const sends = await play({ maxSendRate: 100, share: 1, toleranceMs: 50, senders: 20, roundTripMs: 0, lateWakeMs: 0, claimMs: 0, restarts: 0, seed: 7 }, 10_000);

    // Assess: one slot every 10.5 ms.
    expect(sends.length).toBeGreaterThanOrEqual(945);
    expect(sends.length).toBeLessThanOrEqual(953);
    expect(maxInWindow(sends, 1000)).toBe(96);
  });

  it('asks the schedule once for the sends of a container that wait together (a block of consecutive slots), with the same pace', async () => {
    // Act: 100/s allowed, 2 containers of 10 sends in flight each, prompt round trips, for 10 s.
    const { sends, schedule } = await playOn(
      { maxSendRate: 100, share: 1, toleranceMs: 50, senders: 2, perContainer: 10, roundTripMs: 5, lateWakeMs: 0, claimMs: 0, restarts: 0, seed: 11 },
      10_000,
    );

    // Assess: the schedule's pace, in a fraction of the requests one send each would make.
    expect(sends.length).toBeGreaterThanOrEqual(940);
    expect(maxInWindow(sends, 1000)).toBeLessThanOrEqual(100);
    expect(schedule.takes).toBeLessThan(sends.length / 3);
  });

  it('hands out no slot while the breaker is open, to any sender', async () => {
    // Prepare
    const schedule = new InMemorySendSlots();
    const now = Date.now() * 1000;
    const until = await schedule.openBreaker(now);

    // Act
    const during = await schedule.take({ nowUs: now + 1_000_000, intervalUs: 10_000, latestUs: now + 20_000_000 });
    const after = await schedule.take({ nowUs: until, intervalUs: 10_000, latestUs: until + 20_000_000 });

    // Assess
    expect(during).toEqual({ granted: false, why: 'BREAKER_OPEN', retryAtUs: until });
    expect(until - now).toBe(5_000_000);
    expect(after).toEqual({ granted: true, slotUs: until });
  });
});
