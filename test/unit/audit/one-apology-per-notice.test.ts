import { describe, expect, it } from 'vitest';
import {
  countHeldElsewhere,
  decideRecipient,
  emptyPlanCounts,
  groupByAddress,
  needsRecipientFacts,
  noticesToClaim,
  type AddressGroup,
  type IncidentMember,
} from '../../../lambdas/audit/campaign/apology-plan';

const reachable = { suppressed: false, optedOut: false, locale: 'en' as const };

function groupOf(members: IncidentMember[]): AddressGroup {
  const [group] = groupByAddress(members);
  return group!;
}

describe('one apology per notice, across incidents (the plan’s pure rules)', () => {
  it('skips an address as ALREADY_APOLOGISED when another incident holds every notice it would be apologised for', () => {
    // Prepare
    const group = groupOf([
      { noticeId: 'evt#a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' },
      { noticeId: 'evt#a2', addressHash: 'aa', verdict: 'WRONG', reason: 'DUPLICATE' },
    ]);
    const held = new Map([['evt#a1', 'inc-a']]);

    // Act
    const planned = decideRecipient(group, reachable, held);

    // Assess: the duplicate is no reason of its own; the one wrong notice was apologised for in inc-a.
    expect(planned).toEqual({ addressHash: 'aa', noticeId: 'evt#a1', decision: 'SKIP', skip: 'ALREADY_APOLOGISED' });
    expect(needsRecipientFacts(group, held)).toBe(false);
    expect(noticesToClaim(group, held)).toEqual([]);
  });

  it('still apologises for a notice no other incident holds, under that notice’s own reason', () => {
    // Prepare: the more serious reason belongs to the notice inc-a apologised for.
    const group = groupOf([
      { noticeId: 'evt#a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
      { noticeId: 'evt#a2', addressHash: 'aa', verdict: 'WRONG', reason: 'REGISTRY_CLOSED' },
    ]);
    const held = new Map([['evt#a1', 'inc-a']]);

    // Act
    const planned = decideRecipient(group, reachable, held);

    // Assess
    expect(planned).toMatchObject({ decision: 'APOLOGISE', reason: 'REGISTRY_CLOSED' });
    expect(noticesToClaim(group, held)).toEqual(['evt#a2']);
    expect(noticesToClaim(group)).toEqual(['evt#a1', 'evt#a2']);
  });

  it('keeps its other skips first: rightly notified, nothing to apologise for', () => {
    const rightly = groupOf([
      { noticeId: 'evt#a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' },
      { noticeId: 'evt#a2', addressHash: 'aa', verdict: 'OK' },
    ]);
    const duplicateOnly = groupOf([{ noticeId: 'evt#b1', addressHash: 'bb', verdict: 'WRONG', reason: 'DUPLICATE' }]);
    const held = new Map([['evt#a1', 'inc-a']]);
    expect(decideRecipient(rightly, reachable, held)).toMatchObject({ decision: 'SKIP', skip: 'RIGHTLY_NOTIFIED' });
    expect(decideRecipient(duplicateOnly, reachable, held)).toMatchObject({ decision: 'SKIP', skip: 'NO_APOLOGY_REASON' });
  });

  it('cannot tell an unlisted notice held, so an incomplete list apologises under the fold’s reasons', () => {
    // Prepare: an item whose list began after its first page (or overflowed its cap).
    const group: AddressGroup = { ...groupOf([{ noticeId: 'evt#a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' }]), wrongNoticesComplete: false };

    // Act
    const planned = decideRecipient(group, reachable, new Map([['evt#a1', 'inc-a']]));

    // Assess
    expect(planned).toMatchObject({ decision: 'APOLOGISE', reason: 'NOT_THE_OWNER' });
  });

  it('counts the notices other incidents hold by incident, and nothing when none does', () => {
    // Prepare
    const groups = groupByAddress([
      { noticeId: 'evt#a1', addressHash: 'aa', verdict: 'WRONG', reason: 'NOT_THE_OWNER' },
      { noticeId: 'evt#a2', addressHash: 'aa', verdict: 'WRONG', reason: 'REGISTRY_CLOSED' },
      { noticeId: 'evt#b1', addressHash: 'bb', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
      { noticeId: 'evt#c1', addressHash: 'cc', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
    ]);
    const held = new Map([
      ['evt#a1', 'inc-a'],
      ['evt#b1', 'inc-a'],
      ['evt#c1', 'corr-20261207'],
    ]);

    // Act
    const counts = countHeldElsewhere(emptyPlanCounts(), groups, held);
    const none = countHeldElsewhere(emptyPlanCounts(), groups, new Map());

    // Assess
    expect(counts.alreadyApologisedIn).toEqual({ 'inc-a': 2, 'corr-20261207': 1 });
    expect(none).toEqual(emptyPlanCounts());
  });
});
