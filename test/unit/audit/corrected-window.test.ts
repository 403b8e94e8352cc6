import { describe, expect, it } from 'vitest';
import { valuesTouched } from '../../../lambdas/audit/corrected-window';
import { factAt } from '../../../lambdas/audit/fact-at';

const JAN = '2026-01-10T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';
const MAY = '2026-05-01T00:00:00.000Z';
const JUL = '2026-07-01T00:00:00.000Z';

describe('factAt', () => {
  const timeline = [
    { validFrom: JAN, validUntil: MAR, ownerCustomerId: 'c-5' },
    { validFrom: MAR, validUntil: MAY, ownerCustomerId: 'c-7' },
    { validFrom: MAY, ownerCustomerId: 'c-9' },
  ];

  it('answers the fact whose interval holds the instant: start inclusive, end exclusive', () => {
    expect(factAt(timeline, '2026-02-28T23:59:59.999Z')?.ownerCustomerId).toBe('c-5');
    expect(factAt(timeline, MAR)?.ownerCustomerId).toBe('c-7');
    expect(factAt(timeline, '2030-01-01T00:00:00Z')?.ownerCustomerId).toBe('c-9');
  });

  it('compares instants, not strings, and knows nothing before the first fact', () => {
    expect(factAt(timeline, '2026-03-01T00:30:00+01:00')?.ownerCustomerId).toBe('c-5');
    expect(factAt(timeline, '2026-01-09T00:00:00Z')).toBeUndefined();
    expect(factAt([], MAR)).toBeUndefined();
  });
});

describe('valuesTouched', () => {
  const owner = (f: { ownerCustomerId: string }) => f.ownerCustomerId;

  it('names the value believed before the correction and the values inside its window', () => {
    // Prepare: "the owner since March was really c-7": c-5's fact now ends in March.
    const timeline = [
      { validFrom: JAN, validUntil: MAR, ownerCustomerId: 'c-5' },
      { validFrom: MAR, validUntil: JUL, ownerCustomerId: 'c-7' },
      { validFrom: JUL, ownerCustomerId: 'c-9' },
    ];

    // Act
    const touched = valuesTouched(timeline, { effectiveFrom: MAR, effectiveUntil: JUL }, owner);

    // Assess: c-9, after the window, is not touched.
    expect(touched).toEqual(['c-5', 'c-7']);
  });

  it('reaches to the end of the timeline for an open-ended correction, and skips facts without the value', () => {
    const timeline = [
      { validFrom: JAN, validUntil: MAR, emailHash: 'aa' },
      { validFrom: MAR, validUntil: MAY, emailHash: undefined },
      { validFrom: MAY, emailHash: 'cc' },
    ];
    expect(valuesTouched(timeline, { effectiveFrom: MAR }, (f) => f.emailHash)).toEqual(['aa', 'cc']);
  });
});
