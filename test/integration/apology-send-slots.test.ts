import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSendSlots } from '../../lambdas/audit/audit-table/send-slots';
import { SlotPacer } from '../../lambdas/audit/apology/slot-pacer';
import { maxInWindow, slotIntervalUs } from '../../lambdas/mail/send-rate';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { createAuditWorld, type AuditWorld } from './audit/audit-world';

describe('the shared slot schedule in DynamoDB Local', () => {
  let clients: AwsClients;
  let world: AuditWorld;

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
  });
  afterAll(() => clients.destroy());

  it('hands concurrent senders (each its own client, as separate containers) distinct slots, never two sends closer than the rate allows in any second', async () => {
    // Prepare: 40/s allowed, 50 ms tolerance, 12 senders for 3 s.
    const rate = 40;
    const settings = { intervalUs: slotIntervalUs(rate, 50), toleranceMs: 50, maxAheadMs: 5_000 };
    const clock = { nowMs: () => Date.now(), sleep: (ms: number) => sleep(ms) };
    const slots: number[] = [];
    const sends: number[] = [];
    const end = Date.now() + 3_000;

    // Act
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const own = createAwsClients();
        const pacer = new SlotPacer(new DynamoDbSendSlots(own.documentClient, world.tables.audit, 'test-sends'), settings, clock);
        try {
          while (Date.now() < end) {
            const slot = await pacer.book(end - Date.now(), settings.intervalUs);
            if (!slot.ok) {
              await sleep(Math.max(5, slot.retryInMs));
              continue;
            }
            slots.push(slot.slotMs);
            // The claim, as the sender makes it between booking and its slot.
            await sleep(i % 3);
            await pacer.waitFor(slot);
            if (pacer.onTime(slot)) sends.push(Date.now());
          }
        } finally {
          own.destroy();
        }
      }),
    );

    // Assess
    const sorted = [...slots].sort((a, b) => a - b);
    expect(new Set(sorted).size).toBe(sorted.length);
    const gaps = sorted.slice(1).map((s, i) => s - sorted[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(settings.intervalUs / 1000 - 0.001);
    expect(sends.length).toBeGreaterThan(0);
    expect(maxInWindow(sends, 1000)).toBeLessThanOrEqual(rate);
  }, 60_000);

  it('stops every sender while the breaker is open, and lets them on when it closes', async () => {
    // Prepare
    const a = new DynamoDbSendSlots(clients.documentClient, world.tables.audit, 'breaker-test');
    const b = new DynamoDbSendSlots(clients.documentClient, world.tables.audit, 'breaker-test');
    const now = Date.now() * 1000;

    // Act
    const until = await a.openBreaker(now);
    const again = await b.openBreaker(now + 1_000);
    const during = await b.take({ nowUs: now + 2_000_000, intervalUs: 10_000, latestUs: now + 10_000_000 });
    const after = await b.take({ nowUs: until + 1, intervalUs: 10_000, latestUs: until + 10_000_000 });

    // Assess
    expect(until - now).toBe(5_000_000);
    expect(again).toBe(until);
    expect(during).toEqual({ granted: false, why: 'BREAKER_OPEN', retryAtUs: until });
    expect(after).toEqual({ granted: true, slotUs: until + 1 });
  });
});
