import { describe, expect, it } from 'vitest';
import { senderSizing } from '../../lib/apology-sender-sizing';

const account = { accountConcurrency: 1000, otherConcurrency: 43 };

describe('the apology sender sized from the SES rate (lib/apology-sender-sizing.ts)', () => {
  it.each([
    // rate, share, ms → allowed, batch, needed, default maximum (docs/incident-scale.md, "Sizing the sender")
    [14, 50, 250, 7, 10, 2, 3],
    [14, 100, 250, 14, 10, 2, 3],
    [100, 50, 250, 50, 10, 3, 5],
    [100, 100, 250, 100, 10, 4, 6],
    [500, 50, 250, 250, 10, 7, 11],
    [500, 100, 250, 500, 10, 13, 20],
    [500, 100, 1000, 500, 10, 49, 74],
  ])('SES %i/s, share %i percent, %i ms an apology: %i/s allowed, batches of %i, %i invocations needed, %i by default', (rate, share, ms, allowed, batch, needed, max) => {
    const { sizing, problems } = senderSizing({ sesMaxSendRate: rate, sharePercent: share, msPerApology: ms, ...account });
    expect(problems).toEqual([]);
    expect(sizing).toMatchObject({ allowedRate: allowed, batchSize: batch, neededConcurrency: needed, maxConcurrency: max });
    // What the default carries keeps the schedule busy: invocations × batch ÷ (work + the batch's slots) ≥ the schedule's rate.
    expect((sizing!.maxConcurrency * sizing!.batchSize) / (ms / 1000 + sizing!.batchSize / sizing!.scheduleRate)).toBeGreaterThan(sizing!.scheduleRate);
    expect(sizing!.scheduleWritesPerSecond).toBeLessThan(500);
  });

  it('keeps the configured concurrency when it reaches the rate, and says why not when it does not', () => {
    expect(senderSizing({ sesMaxSendRate: 100, sharePercent: 100, msPerApology: 250, maxConcurrency: 4, ...account })).toMatchObject({ sizing: { maxConcurrency: 4 }, problems: [] });
    expect(senderSizing({ sesMaxSendRate: 100, sharePercent: 100, msPerApology: 250, maxConcurrency: 3, ...account }).problems).toEqual([
      'apologySenderMaxConcurrency: 3 invocations × batches of 10 at 250 ms an apology (apologySenderMsPerApology) carry about 84 apologies/s, below the allowed 100 apologies/s (sesMaxSendRate 100 × apologyRateSharePercent 100 %): needs at least 4',
    ]);
  });

  it('refuses a share that allows nothing', () => {
    expect(senderSizing({ sesMaxSendRate: 1, sharePercent: 1, msPerApology: 250, ...account }).problems).toEqual([]);
    expect(senderSizing({ sesMaxSendRate: 0, sharePercent: 50, msPerApology: 250, ...account }).problems[0]).toMatch(/allows no apology at all/);
  });
});
