import { breakerPauseMs } from '../../lambdas/mail/send-rate';
import type { SendSlotSchedule, SlotGrant, SlotRequest } from '../../lambdas/audit/ports/send-slots';

/**
 * The slot schedule of `DynamoDbSendSlots` in memory, with the same two conditional updates
 * (busy: slot = next, next += n · interval; idle: slot = now, next = now + n · interval, for a block of n) each applied
 * atomically at one instant, and an optional delay before and after it (a round trip), so a
 * test can play many concurrent takers with stale clocks on a fake clock.
 */
export class InMemorySendSlots implements SendSlotSchedule {
  next: number | undefined;
  openUntil = 0;
  opens = 0;
  /** Every slot handed out, in the order they were. */
  readonly handedOut: number[] = [];

  constructor(private readonly roundTrip: () => Promise<void> = async () => undefined) {}

  /** Requests taken, each one write on the schedule. */
  takes = 0;

  async take({ nowUs, intervalUs, latestUs, count = 1 }: SlotRequest): Promise<SlotGrant> {
    await this.roundTrip();
    this.takes += 1;
    const grant = this.#takeAtOnce(nowUs, intervalUs, latestUs, count);
    await this.roundTrip();
    return grant;
  }

  async openBreaker(nowUs: number): Promise<number> {
    await this.roundTrip();
    if (this.openUntil > nowUs) return this.openUntil;
    this.opens = this.openUntil > nowUs - 120_000_000 ? this.opens + 1 : 0;
    this.openUntil = nowUs + breakerPauseMs(this.opens) * 1000;
    return this.openUntil;
  }

  #takeAtOnce(nowUs: number, intervalUs: number, latestUs: number, count: number): SlotGrant {
    if (this.openUntil > nowUs) return { granted: false, why: 'BREAKER_OPEN', retryAtUs: this.openUntil };
    const busy = this.next !== undefined && this.next >= nowUs;
    if (busy && this.next! > latestUs) return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: this.next! - (latestUs - nowUs) };
    const first = busy ? this.next! : nowUs;
    this.next = first + count * intervalUs;
    for (let i = 0; i < count; i += 1) this.handedOut.push(first + i * intervalUs);
    return { granted: true, slotUs: first };
  }
}
