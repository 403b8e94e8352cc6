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
import { customerFactory, noticeFactsFactory, purchaseMessageFactory, registryFactory } from '../helpers/factories';

describe('registryExists', () => {
  it('blocks a purchase for a registry we do not know', () => {
    expect(registryExists(noticeFactsFactory({ registry: undefined }))).toBe('REGISTRY_NOT_FOUND');
  });
  it('lets a known registry through', () => {
    expect(registryExists(noticeFactsFactory())).toBeUndefined();
  });
});

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

describe('ownerKnown', () => {
  it('blocks when the owner is not a customer we know', () => {
    expect(ownerKnown(noticeFactsFactory({ owner: undefined }))).toBe('OWNER_NOT_FOUND');
  });
  it('blocks when the loaded customer is not the registry owner', () => {
    expect(ownerKnown(noticeFactsFactory({ owner: customerFactory({ customerId: 'cus-eve' }) }))).toBe('OWNER_NOT_FOUND');
  });
  it('blocks when the owner has no address on file', () => {
    expect(ownerKnown(noticeFactsFactory({ owner: customerFactory({ email: ' ' }) }))).toBe('OWNER_NOT_FOUND');
  });
  it('lets a known owner through', () => {
    expect(ownerKnown(noticeFactsFactory())).toBeUndefined();
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

describe('notificationsOn', () => {
  it('blocks when the owner keeps gifts a surprise', () => {
    expect(notificationsOn(noticeFactsFactory({ registry: registryFactory({ purchaseNotifications: false }) }))).toBe(
      'NOTIFICATIONS_OFF',
    );
  });
  it('lets an owner who asked for notices through', () => {
    expect(notificationsOn(noticeFactsFactory())).toBeUndefined();
  });
});

describe('itemOnRegistry', () => {
  it('blocks a purchase of an item that is not on the registry', () => {
    expect(itemOnRegistry(noticeFactsFactory({ itemOnRegistry: false }))).toBe('ITEM_NOT_ON_REGISTRY');
  });
  it('lets a registry item through', () => {
    expect(itemOnRegistry(noticeFactsFactory())).toBeUndefined();
  });
});

describe('addressNotOptedOut', () => {
  it('blocks an owner who opted out of email', () => {
    expect(addressNotOptedOut(noticeFactsFactory({ owner: customerFactory({ notificationsOptOut: true }) }))).toBe(
      'ADDRESS_OPTED_OUT',
    );
  });
  it('blocks an owner who unsubscribed with our link, whatever the shop says', () => {
    expect(addressNotOptedOut(noticeFactsFactory({ ownerUnsubscribed: true }))).toBe('ADDRESS_OPTED_OUT');
  });
  it('lets an owner who did not opt out through', () => {
    expect(addressNotOptedOut(noticeFactsFactory())).toBeUndefined();
  });
});

describe('addressNotSuppressed', () => {
  it('blocks a suppressed address', () => {
    expect(addressNotSuppressed(noticeFactsFactory({ ownerAddressSuppressed: true }))).toBe('ADDRESS_SUPPRESSED');
  });
  it('lets a deliverable address through', () => {
    expect(addressNotSuppressed(noticeFactsFactory())).toBeUndefined();
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
