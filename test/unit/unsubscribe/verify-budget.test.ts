import { describe, expect, it } from 'vitest';
import { VerifyBudget } from '../../../lambdas/mail/unsubscribe/verify-budget';

const SETTINGS = { perSecond: 10, perAddressBurst: 3, perAddressRefillSeconds: 20, maxAddresses: 100 };

function budget() {
  let now = 0;
  return { budget: new VerifyBudget(SETTINGS, () => now), advance: (ms: number) => void (now += ms) };
}

describe('the key-check budget (VerifyBudget)', () => {
  it('gives each address its burst, then one check per refill period', () => {
    // Prepare
    const { budget: b, advance } = budget();

    // Act
    const burst = Array.from({ length: 5 }, () => b.take('h1'));
    advance(19_000);
    const early = b.take('h1');
    advance(1_000);
    const refilled = [b.take('h1'), b.take('h1')];

    // Assess
    expect(burst).toEqual([true, true, true, false, false]);
    expect(early).toBe(false);
    expect(refilled).toEqual([true, false]);
  });

  it('caps the checks per second of all addresses together, and refills within the second', () => {
    // Prepare
    const { budget: b, advance } = budget();

    // Act
    const first = Array.from({ length: 15 }, (_, i) => b.take(`h${i}`)).filter(Boolean).length;
    advance(500);
    const half = Array.from({ length: 15 }, (_, i) => b.take(`g${i}`)).filter(Boolean).length;

    // Assess
    expect(first).toBe(10);
    expect(half).toBe(5);
  });

  it('remembers at most maxAddresses, forgetting the least recently used', () => {
    // Prepare: h0 spends its burst; then 100 other addresses, over several seconds.
    const { budget: b, advance } = budget();
    for (let i = 0; i < 3; i += 1) b.take('h0');
    for (let i = 1; i <= 100; i += 1) {
      advance(100);
      b.take(`h${i}`);
    }

    // Act: h0 was forgotten, so it starts with a full burst again (memory bounded under a flood).
    const again = b.take('h0');

    // Assess
    expect(again).toBe(true);
  });
});
