import { describe, expect, it } from 'vitest';
import { Pacer, sendIntervalMs, stopReason } from '../../../lambdas/domain/audit/pacer';

describe('pacing', () => {
  it('stays under the share of the SES rate', () => {
    expect(sendIntervalMs({ maxSendRate: 14, share: 0.5 })).toBe(143);
    expect(sendIntervalMs({ maxSendRate: 1, share: 1 })).toBe(1000);
  });

  it('spaces sends at least one interval apart', async () => {
    // Prepare
    let clock = 0;
    const sleeps: number[] = [];
    const pacer = new Pacer(100, () => clock, async (ms) => {
      sleeps.push(ms);
      clock += ms;
    });

    // Act
    for (let i = 0; i < 4; i += 1) {
      await pacer.wait();
      clock += 10; // the send itself
    }

    // Assess
    expect(sleeps).toEqual([90, 90, 90]);
    expect(clock).toBe(310); // sends started at 0, 100, 200, 300
  });

  it('stops at the per-run cap and before the time limit', () => {
    const budget = { maxPerRun: 3, safetyMarginMs: 10_000, remainingMs: () => 60_000 };
    expect(stopReason(budget, 2, 100)).toBeUndefined();
    expect(stopReason(budget, 3, 100)).toBe('CAP');
    expect(stopReason({ ...budget, remainingMs: () => 10_050 }, 0, 100)).toBe('TIME');
  });
});
