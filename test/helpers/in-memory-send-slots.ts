import { breakerPauseMs } from '../../lambdas/domain/apology/send-rate';
import type { SendSlotSchedule, SlotGrant, SlotRequest } from '../../lambdas/ports/send-slots';

/**
 * The slot schedule of `DynamoDbSendSlots` in memory, with the same two conditional updates
 * (busy: slot = next, next += interval; idle: slot = now, next = now + interval) each applied
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

  async take({ nowUs, intervalUs, latestUs }: SlotRequest): Promise<SlotGrant> {
    await this.roundTrip();
    const grant = this.#takeAtOnce(nowUs, intervalUs, latestUs);
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

  #takeAtOnce(nowUs: number, intervalUs: number, latestUs: number): SlotGrant {
    if (this.openUntil > nowUs) return { granted: false, why: 'BREAKER_OPEN', retryAtUs: this.openUntil };
    if (this.next !== undefined && this.next >= nowUs) {
      if (this.next > latestUs) return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: this.next - (latestUs - nowUs) };
      const slot = this.next;
      this.next += intervalUs;
      this.handedOut.push(slot);
      return { granted: true, slotUs: slot };
    }
    this.next = nowUs + intervalUs;
    this.handedOut.push(nowUs);
    return { granted: true, slotUs: nowUs };
  }
}
