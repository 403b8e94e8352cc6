import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { duplicateKeys, type AuditFacts } from '../../../lambdas/audit/audited-notice';
import { judgeNotice } from '../../../lambdas/audit/judge-notice';
import { auditedNoticeFactory, customerFactory, registryFactory } from '../../helpers/factories';

const ANN = 'ann@example.com';

const noticeFactory = auditedNoticeFactory;

function factsFactory(overrides: Partial<AuditFacts> = {}): AuditFacts {
  return {
    registry: registryFactory(),
    itemOnRegistry: true,
    ownerAddressHash: addressHash(ANN),
    addressCustomer: customerFactory(),
    firstNotices: [],
    ...overrides,
  };
}

describe('judgeNotice', () => {
  it('marks a notice to the owner of an active registry as OK', () => {
    expect(judgeNotice(noticeFactory(), factsFactory())).toEqual({ verdict: 'OK' });
  });

  it('marks a notice to an address nobody we know has as NOT_A_PARTICIPANT', () => {
    // Prepare
    const stranger = 'zoe@example.org';

    // Act
    const judgement = judgeNotice(
      noticeFactory({ recipientAddress: stranger, recipientAddressHash: addressHash(stranger) }),
      factsFactory({ addressCustomer: undefined }),
    );

    // Assess
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' });
  });

  const bob = customerFactory({ customerId: 'cus-bob', email: 'bob@example.com' });
  it.each([
    { who: 'known to own no registry', notice: {}, facts: { addressCustomerOwnsARegistry: false }, reason: 'NOT_A_PARTICIPANT' },
    { who: 'who owns another registry', notice: {}, facts: { addressCustomerOwnsARegistry: true }, reason: 'NOT_THE_OWNER' },
    {
      who: 'with no registry about a registry we do not have',
      notice: { registryId: 'reg-ghost' },
      facts: { registry: undefined, ownerAddressHash: undefined, addressCustomerOwnsARegistry: false },
      reason: 'NOT_A_PARTICIPANT',
    },
  ])('marks a notice to a customer $who as $reason', ({ notice, facts, reason }) => {
    const judgement = judgeNotice(
      noticeFactory({ ...notice, recipientAddressHash: addressHash(bob.email) }),
      factsFactory({ ...facts, addressCustomer: bob }),
    );
    expect(judgement).toEqual({ verdict: 'WRONG', reason });
  });

  it('marks a notice about a registry we do not have as REGISTRY_NOT_FOUND', () => {
    const judgement = judgeNotice(noticeFactory({ registryId: 'reg-ghost' }), factsFactory({ registry: undefined, ownerAddressHash: undefined }));
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'REGISTRY_NOT_FOUND' });
  });

  it('marks a notice to the owner of a closed registry as REGISTRY_CLOSED', () => {
    const judgement = judgeNotice(noticeFactory(), factsFactory({ registry: registryFactory({ status: 'CLOSED' }) }));
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'REGISTRY_CLOSED' });
  });

  it('marks a notice to an owner in surprise mode as NOTIFICATIONS_OFF', () => {
    const judgement = judgeNotice(noticeFactory(), factsFactory({ registry: registryFactory({ purchaseNotifications: false }) }));
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'NOTIFICATIONS_OFF' });
  });

  it('marks a notice about an item not on the registry as ITEM_NOT_ON_REGISTRY', () => {
    expect(judgeNotice(noticeFactory(), factsFactory({ itemOnRegistry: false }))).toEqual({
      verdict: 'WRONG',
      reason: 'ITEM_NOT_ON_REGISTRY',
    });
  });

  it('does not judge the item when the row names none (imported logs may not)', () => {
    expect(judgeNotice(noticeFactory({ itemId: undefined }), factsFactory({ itemOnRegistry: undefined }))).toEqual({ verdict: 'OK' });
  });

  it('marks a second notice for the same purchase and item to the same address as DUPLICATE', () => {
    const judgement = judgeNotice(noticeFactory({ noticeId: 'evt#e-2', eventId: 'e-2' }), factsFactory({ firstNotices: ['evt#e-2', 'evt#e-1'] }));
    expect(judgement).toEqual({ verdict: 'WRONG', reason: 'DUPLICATE' });
  });

  it('keeps the first notice of a purchase and item OK when it is the registered first under every key', () => {
    expect(judgeNotice(noticeFactory(), factsFactory({ firstNotices: ['evt#e-1', 'evt#e-1'] }))).toEqual({ verdict: 'OK' });
  });

  it('reports a stranger as NOT_A_PARTICIPANT even when the registry is also missing', () => {
    const judgement = judgeNotice(noticeFactory({ recipientAddressHash: 'ff' }), factsFactory({ registry: undefined, addressCustomer: undefined }));
    expect(judgement.reason).toBe('NOT_A_PARTICIPANT');
  });

  it.each(['BLOCKED', 'FAILED'])('calls a %s row NOT_SENT: nobody was mailed', (outcome) => {
    expect(judgeNotice(noticeFactory({ outcome }), factsFactory({ addressCustomer: undefined }))).toEqual({
      verdict: 'NOT_SENT',
      reason: 'NOTHING_SENT',
    });
  });

  it.each(['UNCERTAIN', 'SENDING'])('judges a %s row like a sent one: it may have gone', (outcome) => {
    expect(judgeNotice(noticeFactory({ outcome }), factsFactory({ registry: registryFactory({ status: 'CLOSED' }) })).reason).toBe(
      'REGISTRY_CLOSED',
    );
  });

  it('calls a sent row without an address UNVERIFIABLE', () => {
    expect(judgeNotice(noticeFactory({ recipientAddressHash: undefined }), factsFactory()).verdict).toBe('UNVERIFIABLE');
  });
});

describe('duplicateKeys', () => {
  it('keys a notice by address, purchase and item, and by its event, whatever the event id', () => {
    // Act
    const first = duplicateKeys(noticeFactory({ eventId: 'e-1' }));
    const second = duplicateKeys(noticeFactory({ noticeId: 'evt#e-2', eventId: 'e-2' }));

    // Assess: the two events share the purchase-and-item key, so the second is a duplicate.
    const hash = addressHash(ANN);
    expect(first).toEqual([`${hash}#evt:e-1`, `${hash}#pur:p-1#item:item-stroller`]);
    expect(second).toContain(`${hash}#pur:p-1#item:item-stroller`);
  });

  it('keys an imported row without an item by its purchase, and one with only an event by the event', () => {
    const hash = addressHash(ANN);
    expect(duplicateKeys(noticeFactory({ eventId: undefined, itemId: undefined }))).toEqual([`${hash}#pur:p-1`]);
    expect(duplicateKeys(noticeFactory({ purchaseId: undefined }))).toEqual([`${hash}#evt:e-1`]);
  });

  it('gives a row without an address no key: it cannot be a duplicate', () => {
    expect(duplicateKeys(noticeFactory({ recipientAddressHash: undefined }))).toEqual([]);
  });
});
