import {
  decideRecipient,
  groupOfFold,
  needsRecipientFacts,
  noticesToClaim,
  type AddressFold,
  type AddressGroup,
  type PlannedRecipient,
  type RecipientFacts,
} from './apology-plan';
import type { ApologisedNotices } from '../ports/apologised-notices';

/** What deciding a page against the other incidents needs. */
export interface AcrossIncidentsDeps {
  readonly apologisedNotices: ApologisedNotices;
  readonly now: () => Date;
}

/** A page of addresses decided: the decisions, the groups they came from, and the notices other incidents hold. */
export interface DecidedPage {
  readonly recipients: PlannedRecipient[];
  readonly groups: AddressGroup[];
  readonly heldElsewhere: ReadonlyMap<string, string>;
}

/**
 * Decides a page of an incident's addresses so that no notice gets a second apology across
 * incidents (docs/audit-and-apology.md, "One apology per notice, across incidents"):
 *
 * 1. one read of the page's wrong notices' markers (`BatchGetItem`s of 100): those another
 *    incident holds are not apologised for here, and an address left with none is skipped as
 *    `ALREADY_APOLOGISED` (its recipient facts are not even read);
 * 2. for each address decided `APOLOGISE`, its open notices are claimed, each a write
 *    conditional on no other incident holding it: of two incidents planning at once, one
 *    gets a notice; the other learns the holder from the failed write and decides again;
 * 3. what an earlier plan of this incident claimed and this one no longer apologises for
 *    (rightly notified now, opted out, an item of an older plan) is given back.
 *
 * Redoing a page (after a crash) claims and releases the same notices again: nothing changes.
 *
 * @example
 * const { recipients } = await decideAcrossIncidents('corr-20261207', mine, stale, deps, (g) => recipientFacts(g, deps));
 */
export async function decideAcrossIncidents(
  incidentId: string,
  mine: readonly AddressFold[],
  stale: readonly AddressFold[],
  deps: AcrossIncidentsDeps,
  factsOf: (group: AddressGroup) => Promise<RecipientFacts>,
): Promise<DecidedPage> {
  const groups = mine.map(groupOfFold);
  const staleGroups = stale.map(groupOfFold);
  const ids = [...groups, ...staleGroups].flatMap((g) => g.wrongNotices.map((n) => n.noticeId));
  const holders = ids.length > 0 ? await deps.apologisedNotices.holders(ids) : new Map<string, string>();
  const heldElsewhere = new Map([...holders].filter(([, holder]) => holder !== incidentId));
  const oursIn = (g: AddressGroup): string[] => g.wrongNotices.map((n) => n.noticeId).filter((id) => holders.get(id) === incidentId);
  const at = deps.now().toISOString();

  const recipients = await Promise.all(
    groups.map(async (group) => {
      const facts = needsRecipientFacts(group, heldElsewhere) ? await factsOf(group) : undefined;
      let decided = decideRecipient(group, facts, heldElsewhere);
      if (decided.decision === 'APOLOGISE') {
        const lost = await deps.apologisedNotices.claim(incidentId, group.addressHash, noticesToClaim(group, heldElsewhere), at);
        if (lost.size > 0) {
          // Another incident claimed them since the read: an address's notices are its own, so this touches no other group's.
          for (const [noticeId, holder] of lost) heldElsewhere.set(noticeId, holder);
          decided = decideRecipient(group, facts, heldElsewhere);
        }
      }
      if (decided.decision !== 'APOLOGISE') await deps.apologisedNotices.release(incidentId, oursIn(group));
      return decided;
    }),
  );
  const staleOurs = staleGroups.flatMap(oursIn);
  if (staleOurs.length > 0) await deps.apologisedNotices.release(incidentId, staleOurs);
  return { recipients, groups, heldElsewhere };
}
