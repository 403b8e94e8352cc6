import { describe, expect, it } from 'vitest';
import { decideRecipient, groupByAddress, summarizePlan, type IncidentMember } from '../../../lambdas/audit/campaign/apology-plan';

const reachable = { suppressed: false, optedOut: false, locale: 'de' as const };

describe('apology plan', () => {
  it('apologises once per address, under its most serious reason', () => {
    // Prepare
    const members: IncidentMember[] = [
      { noticeId: 'a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' },
      { noticeId: 'a2', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
    ];

    // Act
    const [group] = groupByAddress(members);
    const planned = decideRecipient(group!, reachable);

    // Assess
    expect(planned).toMatchObject({ decision: 'APOLOGISE', reason: 'NOT_A_PARTICIPANT', locale: 'de' });
  });

  it('never apologises to an address that was also told rightly', () => {
    const [group] = groupByAddress([
      { noticeId: 'a1', addressHash: 'aa', verdict: 'OK' },
      { noticeId: 'a2', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' },
    ]);
    expect(decideRecipient(group!, reachable)).toMatchObject({ decision: 'SKIP', skip: 'RIGHTLY_NOTIFIED' });
  });

  it('keeps the language of the wrong notice it reads the address from, else of another notice', () => {
    // Act
    const [a, b] = groupByAddress([
      { noticeId: 'a1', addressHash: 'aa', verdict: 'NOT_SENT', locale: 'en' },
      { noticeId: 'a2', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT', locale: 'de-AT' },
      { noticeId: 'b1', addressHash: 'bb', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
      { noticeId: 'b2', addressHash: 'bb', verdict: 'NOT_SENT', locale: 'de' },
    ]);

    // Assess
    expect(a).toMatchObject({ noticeId: 'a2', noticeLocale: 'de-AT' });
    expect(b).toMatchObject({ noticeId: 'b1', noticeLocale: 'de' });
  });

  it('does not apologise for a duplicate alone', () => {
    const [group] = groupByAddress([{ noticeId: 'a1', addressHash: 'aa', verdict: 'WRONG', reason: 'DUPLICATE' }]);
    expect(decideRecipient(group!, reachable)).toMatchObject({ decision: 'SKIP', skip: 'NO_APOLOGY_REASON' });
  });

  it.each([
    [{ ...reachable, suppressed: true }, 'SUPPRESSED'],
    [{ ...reachable, optedOut: true }, 'OPTED_OUT'],
  ])('skips an address that is %o', (facts, skip) => {
    const [group] = groupByAddress([{ noticeId: 'a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' }]);
    expect(decideRecipient(group!, facts)).toMatchObject({ decision: 'SKIP', skip });
  });

  it('counts wrong notices by reason and recipients by decision', () => {
    // Prepare
    const members: IncidentMember[] = [
      { noticeId: 'a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
      { noticeId: 'b1', addressHash: 'bb', verdict: 'WRONG', reason: 'REGISTRY_CLOSED' },
      { noticeId: 'c1', addressHash: 'cc', verdict: 'OK' },
      { noticeId: 'd1', verdict: 'NOT_SENT', reason: 'NOTHING_SENT' },
    ];

    // Act
    const recipients = groupByAddress(members).map((g) => decideRecipient(g, g.rightlyNotified ? undefined : reachable));
    const summary = summarizePlan(members, recipients);

    // Assess
    expect(summary).toEqual({
      wrongNotices: { NOT_A_PARTICIPANT: 1, REGISTRY_CLOSED: 1 },
      toApologise: 2,
      toApologiseByReason: { NOT_A_PARTICIPANT: 1, REGISTRY_CLOSED: 1 },
      skipped: { RIGHTLY_NOTIFIED: 1 },
      rows: 4,
    });
  });
});
