import { describe, expect, it } from 'vitest';
import type { AuditDeps } from '../../../lambdas/audit/audit-deps';
import { loadAuditFacts } from '../../../lambdas/audit/audit-facts';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { judgeNotice } from '../../../lambdas/audit/judge-notice';
import type { Customer, Registry } from '../../../lambdas/directory/facts';
import type { DirectoryHistory } from '../../../lambdas/directory/ports/directory-history';
import { auditedNoticeFactory, customerFactory, registryFactory } from '../../helpers/factories';
import { customerTimeline, inMemoryHistory, registryTimeline } from '../../helpers/in-memory-history';

const JAN = '2026-01-05T00:00:00Z';
const MAR = '2026-03-01T00:00:00Z';
const NOTICE_AT = '2026-03-10T10:00:00.000Z';
const APRIL = '2026-04-15T00:00:00Z';
const ANN = 'ann@example.com';

/** A notice to ann about reg-ann, sent on 10 March. */
const noticeFactory = () => auditedNoticeFactory({ itemId: 'item-1', decidedAt: NOTICE_AT });

/** The audit's reads over an in-memory history, and current tables that say `now` (what the shop looks like today). */
function depsOver(history: DirectoryHistory, now: { registries?: Registry[]; customers?: Customer[] } = {}): AuditDeps {
  const registries = new Map((now.registries ?? []).map((r) => [r.registryId, r]));
  const customers = new Map((now.customers ?? []).map((c) => [c.customerId, c]));
  return {
    history,
    registries: { getRegistryWithItem: async (id) => ({ registry: registries.get(id), itemOnRegistry: registries.has(id) }) },
    customers: { getCustomer: async (id) => customers.get(id) },
    addresses: {
      customerByAddressHash: async (hash) => [...customers.values()].find((c) => addressHash(c.email) === hash),
      isSuppressed: async () => false,
      unsubscribedFromAll: async () => false,
    },
    registryOwners: { ownsARegistry: async (id) => [...registries.values()].some((r) => r.ownerCustomerId === id) },
  } as Partial<AuditDeps> as AuditDeps;
}

const judgeAtItsMoment = async (history: DirectoryHistory, now?: Parameters<typeof depsOver>[1], notice = noticeFactory()) =>
  judgeNotice(notice, await loadAuditFacts(notice, depsOver(history, now)));

describe('judging a notice by the facts of its moment (judge-notice over the directory history)', () => {
  const ann = customerTimeline('cus-ann', [{ from: JAN, email: ANN }]);
  const items = ['reg-ann/item-1'];

  it.each([
    ['the registry closed', registryTimeline('reg-ann', [{ from: JAN }, { from: APRIL, status: 'CLOSED' }]), ann],
    ['the owner turned surprise mode on', registryTimeline('reg-ann', [{ from: JAN }, { from: APRIL, purchaseNotifications: false }]), ann],
    ['the registry was handed to another owner', registryTimeline('reg-ann', [{ from: JAN }, { from: APRIL, ownerCustomerId: 'cus-bob' }]), ann],
    ['the owner changed address', registryTimeline('reg-ann', [{ from: JAN }]), customerTimeline('cus-ann', [{ from: JAN, email: ANN }, { from: APRIL, email: 'ann@new.example' }])],
  ])('keeps a notice right when, after it, %s', async (_change, registry, owner) => {
    // Prepare: today's tables already say what changed.
    const history = inMemoryHistory({ registries: [registry], customers: [owner], items });
    const today = {
      registries: [registryFactory({ ownerCustomerId: registry.at(-1)!.ownerCustomerId, status: registry.at(-1)!.status, purchaseNotifications: registry.at(-1)!.purchaseNotifications })],
      customers: [customerFactory({ email: owner.at(-1)!.emailHash === addressHash(ANN) ? ANN : 'ann@new.example' })],
    };

    // Act
    const judgement = await judgeAtItsMoment(history, today);

    // Assess
    expect(judgement).toEqual({ verdict: 'OK' });
  });

  it('finds a notice wrong when a correction says its registry had another owner at that moment', async () => {
    // Prepare: as now known, the owner since 1 March was bob; ann owned nothing then.
    const history = inMemoryHistory({
      registries: [registryTimeline('reg-ann', [{ from: JAN }, { from: MAR, ownerCustomerId: 'cus-bob' }])],
      customers: [ann, customerTimeline('cus-bob', [{ from: JAN, email: 'bob@example.com' }])],
      items,
    });

    // Act
    const judgement = await judgeAtItsMoment(history);

    // Assess
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' });
  });

  it('finds a notice wrong that was wrong then: the registry had closed before it', async () => {
    const history = inMemoryHistory({ registries: [registryTimeline('reg-ann', [{ from: JAN }, { from: MAR, status: 'CLOSED' }])], customers: [ann], items });
    expect(await judgeAtItsMoment(history)).toEqual({ verdict: 'WRONG', reason: 'REGISTRY_CLOSED' });
  });

  it('calls a registry that did not exist yet at the moment REGISTRY_NOT_FOUND, for a customer who owned another', async () => {
    // Prepare: reg-ann was created in April; ann owned reg-old since January.
    const history = inMemoryHistory({
      registries: [registryTimeline('reg-ann', [{ from: APRIL }]), registryTimeline('reg-old', [{ from: JAN }])],
      customers: [ann],
      items,
    });
    expect(await judgeAtItsMoment(history)).toEqual({ verdict: 'WRONG', reason: 'REGISTRY_NOT_FOUND' });
  });

  it('tells an address nobody had at that moment from one a customer had: NOT_A_PARTICIPANT', async () => {
    // Prepare: the notice went to an address ann only took in April.
    const history = inMemoryHistory({
      registries: [registryTimeline('reg-ann', [{ from: JAN }])],
      customers: [customerTimeline('cus-ann', [{ from: JAN, email: 'ann@old.example' }, { from: APRIL, email: ANN }])],
      items,
    });
    expect(await judgeAtItsMoment(history)).toEqual({ verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' });
  });

  it('judges what the history never heard of by the current tables (data from before the feed)', async () => {
    // Prepare: an empty history; today's tables say the registry is closed.
    const today = { registries: [registryFactory({ status: 'CLOSED' })], customers: [customerFactory({ email: ANN })] };

    // Act
    const judgement = await judgeAtItsMoment(inMemoryHistory({}), today);

    // Assess
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'REGISTRY_CLOSED' });
  });
});
