import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldMembers, groupByAddress, groupOfFold, mergeFolds, type AddressFold, type IncidentMember } from '../../../lambdas/audit/campaign/apology-plan';

const member: fc.Arbitrary<Omit<IncidentMember, 'noticeId'>> = fc.record(
  {
    addressHash: fc.constantFrom('aa', 'bb', 'cc', 'dd'),
    verdict: fc.constantFrom('OK', 'WRONG', 'NOT_SENT'),
    reason: fc.constantFrom('NOT_THE_OWNER', 'NOT_A_PARTICIPANT', 'DUPLICATE', 'REGISTRY_CLOSED', 'NOPE'),
    locale: fc.constantFrom('de', 'en', 'fr'),
  },
  { requiredKeys: ['verdict'] },
);

/** Folds page after page into one keyed fold per address, as the store does with its conditional writes. */
function foldInPages(members: readonly IncidentMember[], pageSize: number): AddressFold[] {
  const store = new Map<string, AddressFold>();
  for (let i = 0; i < members.length; i += pageSize) {
    for (const fold of foldMembers(members.slice(i, i + pageSize))) {
      const earlier = store.get(fold.addressHash);
      store.set(fold.addressHash, earlier ? mergeFolds(earlier, fold) : fold);
    }
  }
  return [...store.values()];
}

describe('apology plan folded in pages', () => {
  it('gives every address the same group, page by page, as one pass over all rows does (whatever the page size)', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (rows, pageSize) => {
        // Prepare: rows in key order.
        const members = rows.map((m, i) => ({ ...m, noticeId: `n${String(i).padStart(3, '0')}` }));

        // Act
        const paged = foldInPages(members, pageSize).map(groupOfFold).sort((a, b) => a.addressHash.localeCompare(b.addressHash));

        // Assess
        expect(paged).toEqual(groupByAddress(members));
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when a page is folded again (a page redone after a crash)', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 30 }), (rows) => {
        const members = rows.map((m, i) => ({ ...m, noticeId: `n${i}` }));
        const once = foldMembers(members);
        const twice = once.map((f) => mergeFolds(f, foldMembers(members).find((g) => g.addressHash === f.addressHash)!));
        expect(twice.map(groupOfFold)).toEqual(once.map(groupOfFold));
      }),
    );
  });
});
