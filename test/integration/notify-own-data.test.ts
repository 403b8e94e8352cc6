import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambdas/mail/ses/ses-mailer';
import { RecipientNotPlainError } from '../../lambdas/platform/function-errors';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { Mailbox } from '../support/mailbox';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const at = (name: string) => `${name}@own-data.example.com`;
const BAD_OWNER_ADDRESSES = {
  'reg-crlf': `${at('pia')}\r\nBcc: ${at('evil')}`,
  'reg-list': `${at('pia')}, ${at('evil')}`,
  'reg-display': `Pia <${at('pia')}>`,
} as const;

const OWNERS: Record<string, string> = { ...BAD_OWNER_ADDRESSES, 'reg-good': at('gina') };

const WORLD = {
  registries: Object.keys(OWNERS).map((registryId) => ({
    registryId,
    ownerCustomerId: `cus-${registryId}`,
    status: 'ACTIVE',
    purchaseNotifications: true,
    title: 'Pia',
    itemIds: ['item-1', 'item-2'],
  })),
  customers: Object.entries(OWNERS).map(([registryId, email]) => ({
    customerId: `cus-${registryId}`,
    email,
    locale: 'en',
    notificationsOptOut: false,
  })),
};

/** "Our own data is checked before we send from it" (issue 8), through the notify handler and the SES emulator. */
describe('notify handler: our own data is checked before we send from it', () => {
  let notify: NotifyHandlerHarness;
  const mailbox = new Mailbox();
  const mailOfThisFile = async () => (await mailbox.list()).filter((m) => [...m.to, ...m.cc, ...m.bcc].some((a) => a.includes('own-data.example.com')));

  beforeAll(async () => {
    notify = await startNotifyHandler(`od${Date.now().toString(36)}`, WORLD);
  });
  afterAll(() => notify?.close());

  it.each(Object.keys(BAD_OWNER_ADDRESSES))('blocks an owner address that is not one plain address (%s), and SES gets nothing', async (registryId) => {
    // Prepare
    const message = purchaseMessageFactory({ registryId, item: { itemId: 'item-1', title: `Marker ${registryId}`, quantity: 1 } });

    // Act
    const response = await notify.invoke(sqsRecordFactory(message));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await notify.ledgerRow(message.eventId)).toMatchObject({ outcome: 'BLOCKED', reason: 'OWNER_ADDRESS_INVALID' });
    expect(await notify.ledgerRow(message.eventId)).not.toHaveProperty('recipientAddress');
    expect(await mailbox.list({ containing: `Marker ${registryId}` })).toEqual([]);
    expect(await mailOfThisFile()).toEqual([]);
    // The address is personal data, malformed or not: never in the logs.
    expect(notify.output()).not.toContain('pia@');
  });

  it('the SES mailer refuses such a recipient itself, before SES, whatever its caller', async () => {
    // Prepare
    const mailer = new SesMailer({ client: notify.aws.sesSender, fromAddress: 'gifts@notices.example.com', configurationSetName: 'registry-notices' });

    // Act
    const sending = mailer.send({ to: BAD_OWNER_ADDRESSES['reg-crlf'], subject: 'Marker mailer', html: '<p>x</p>', text: 'x', tags: {} });

    // Assess
    await expect(sending).rejects.toBeInstanceOf(RecipientNotPlainError);
    await expect(sending).rejects.toMatchObject({ reason: 'RECIPIENT_NOT_PLAIN' });
    expect(await mailbox.list({ containing: 'Marker mailer' })).toEqual([]);
    expect(await mailOfThisFile()).toEqual([]);
  });

  it('sends one notice per purchase and item, whatever the event ids: the same purchase under two event ids mails once', async () => {
    // Prepare: one purchase of two items; the producer sends the first item twice, under two event ids.
    const first = purchaseMessageFactory({ registryId: 'reg-good', item: { itemId: 'item-1', title: 'Marker twice', quantity: 1 } });
    const again = { ...first, eventId: `${first.eventId}-again` };
    const otherItem = { ...first, eventId: `${first.eventId}-item-2`, item: { itemId: 'item-2', title: 'Marker other item', quantity: 1 } };

    // Act
    const responses = [await notify.invoke(sqsRecordFactory(first)), await notify.invoke(sqsRecordFactory(again), sqsRecordFactory(otherItem))];

    // Assess
    expect(responses.map((r) => r.batchItemFailures)).toEqual([[], []]);
    expect(await mailbox.list({ to: at('gina'), containing: 'Marker twice' })).toHaveLength(1);
    expect(await mailbox.list({ to: at('gina'), containing: 'Marker other item' })).toHaveLength(1);
    expect(await notify.ledgerRow(again.eventId)).toMatchObject({
      outcome: 'BLOCKED',
      reason: 'DUPLICATE_PURCHASE_ITEM',
      duplicateOf: `evt#${first.eventId}`,
    });
  });
});
