import { describe, expect, it } from 'vitest';
import { addressNotOptedOut } from '../../lambdas/notices/guards/address-not-opted-out';
import { addressNotSuppressed } from '../../lambdas/notices/guards/address-not-suppressed';
import { firstBlockReason } from '../../lambdas/notices/guards';
import { itemOnRegistry } from '../../lambdas/notices/guards/item-on-registry';
import { notificationsOn } from '../../lambdas/notices/guards/notifications-on';
import { ownerAddressPlain } from '../../lambdas/notices/guards/owner-address-plain';
import { ownerKnown } from '../../lambdas/notices/guards/owner-known';
import { recipientIsOwner } from '../../lambdas/notices/guards/recipient-is-owner';
import { registryActive } from '../../lambdas/notices/guards/registry-active';
import { registryExists } from '../../lambdas/notices/guards/registry-exists';
import type { NoticeFacts } from '../../lambdas/notices/guards/notice-facts';
import { customerFactory, noticeFactsFactory, purchaseMessageFactory, registryFactory } from '../helpers/factories';

/** A guard that reads one fact: what trips it (and the reason it gives), and who passes. */
interface OneFactGuard {
  readonly guard: (facts: NoticeFacts) => string | undefined;
  readonly reason: string;
  /** Why it blocks, and the facts (over the defaults) that make it. */
  readonly blocks: readonly (readonly [string, Partial<NoticeFacts>])[];
  /** Who the default facts, which pass every guard, stand for. */
  readonly passes: string;
}

const ONE_FACT_GUARDS: readonly OneFactGuard[] = [
  {
    guard: registryExists,
    reason: 'REGISTRY_NOT_FOUND',
    blocks: [['a purchase for a registry we do not know', { registry: undefined }]],
    passes: 'a known registry',
  },
  {
    guard: ownerKnown,
    reason: 'OWNER_NOT_FOUND',
    blocks: [
      ['when the owner is not a customer we know', { owner: undefined }],
      ['when the loaded customer is not the registry owner', { owner: customerFactory({ customerId: 'cus-eve' }) }],
      ['when the owner has no address on file', { owner: customerFactory({ email: ' ' }) }],
    ],
    passes: 'a known owner',
  },
  {
    guard: notificationsOn,
    reason: 'NOTIFICATIONS_OFF',
    blocks: [['when the owner keeps gifts a surprise', { registry: registryFactory({ purchaseNotifications: false }) }]],
    passes: 'an owner who asked for notices',
  },
  {
    guard: itemOnRegistry,
    reason: 'ITEM_NOT_ON_REGISTRY',
    blocks: [['a purchase of an item that is not on the registry', { itemOnRegistry: false }]],
    passes: 'a registry item',
  },
  {
    guard: addressNotOptedOut,
    reason: 'ADDRESS_OPTED_OUT',
    blocks: [
      ['an owner who opted out of email', { owner: customerFactory({ notificationsOptOut: true }) }],
      ['an owner who unsubscribed with our link, whatever the shop says', { ownerUnsubscribed: true }],
    ],
    passes: 'an owner who did not opt out',
  },
  {
    guard: addressNotSuppressed,
    reason: 'ADDRESS_SUPPRESSED',
    blocks: [['a suppressed address', { ownerAddressSuppressed: true }]],
    passes: 'a deliverable address',
  },
];

for (const { guard, reason, blocks, passes } of ONE_FACT_GUARDS) {
  describe(guard.name, () => {
    it.each([...blocks])('blocks %s', (_why, facts) => {
      expect(guard(noticeFactsFactory(facts))).toBe(reason);
    });
    it(`lets ${passes} through`, () => {
      expect(guard(noticeFactsFactory())).toBeUndefined();
    });
  });
}

describe('registryActive', () => {
  it.each(['CLOSED', 'SUSPENDED', 'active', ''])('blocks a registry whose status is %j', (status) => {
    expect(registryActive(noticeFactsFactory({ registry: registryFactory({ status }) }))).toBe('REGISTRY_NOT_ACTIVE');
  });
  it('lets an ACTIVE registry through', () => {
    expect(registryActive(noticeFactsFactory())).toBeUndefined();
  });
});

describe('recipientIsOwner', () => {
  it('blocks when the producer names someone other than the owner', () => {
    // Prepare
    const facts = noticeFactsFactory({ message: purchaseMessageFactory({ recipientCustomerId: 'cus-eve' }) });

    // Assess
    expect(recipientIsOwner(facts)).toBe('RECIPIENT_MISMATCH');
  });
  it('lets a matching recipient through', () => {
    const facts = noticeFactsFactory({ message: purchaseMessageFactory({ recipientCustomerId: 'cus-ann' }) });
    expect(recipientIsOwner(facts)).toBeUndefined();
  });
  it('lets a message that names no recipient through (the owner comes from our data)', () => {
    expect(recipientIsOwner(noticeFactsFactory())).toBeUndefined();
  });
});

describe('ownerAddressPlain', () => {
  it.each([
    ['two addresses', 'ann@example.com, evil@evil.example'],
    ['two addresses, no space', 'ann@example.com,evil@evil.example'],
    ['a CR/LF and a header', 'ann@example.com\r\nBcc: evil@evil.example'],
    ['a trailing LF', 'ann@example.com\n'],
    ['a display name', 'Ann <ann@example.com>'],
    ['angle brackets', '<ann@example.com>'],
    ['a space inside', 'ann @example.com'],
    ['padding', ' ann@example.com'],
    ['two @', 'ann@evil.example@example.com'],
    ['a quoted local part', '"ann"@example.com'],
    ['an address literal', 'ann@[192.0.2.1]'],
    ['a semicolon list', 'ann@example.com;evil@evil.example'],
    ['non-ASCII', 'änn@example.com'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['more than 254 characters', `ann@${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.example`],
  ])('blocks an owner address with %s', (_what, email) => {
    expect(ownerAddressPlain(noticeFactsFactory({ owner: customerFactory({ email }) }))).toBe('OWNER_ADDRESS_INVALID');
  });
  it.each(['ann@example.com', 'ann.berger+gifts@mail.example.co.uk', "o'brien@example.ie", 'ann@xn--bcher-kva.example', `${'a'.repeat(64)}@example.com`])(
    'lets the plain address %j through',
    (email) => {
      expect(ownerAddressPlain(noticeFactsFactory({ owner: customerFactory({ email }) }))).toBeUndefined();
    },
  );
  it('is asked right after the owner is known, before their own settings', () => {
    // Prepare: surprise mode and opted out too, but the address is two addresses.
    const facts = noticeFactsFactory({
      registry: registryFactory({ purchaseNotifications: false }),
      owner: customerFactory({ email: 'ann@example.com, evil@evil.example', notificationsOptOut: true }),
    });

    // Act
    const reason = firstBlockReason(facts);

    // Assess
    expect(reason).toBe('OWNER_ADDRESS_INVALID');
  });
});


describe('firstBlockReason', () => {
  it('lets a notice through when every guard agrees', () => {
    expect(firstBlockReason(noticeFactsFactory())).toBeUndefined();
  });

  it('reports a recipient mismatch even when the registry is also closed', () => {
    // Prepare
    const facts = noticeFactsFactory({
      message: purchaseMessageFactory({ recipientCustomerId: 'cus-eve' }),
      registry: registryFactory({ status: 'CLOSED' }),
    });

    // Assess
    expect(firstBlockReason(facts)).toBe('RECIPIENT_MISMATCH');
  });
});
