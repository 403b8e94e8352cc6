import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { Mailbox } from '../support/mailbox';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const ANN = 'annabel@notify-purchaser-text.example.com';
const WORLD = {
  registries: [{ registryId: 'reg-ann', ownerCustomerId: 'cus-ann', status: 'ACTIVE', purchaseNotifications: true, title: 'Annabel & Ben', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-ann', email: ANN, locale: 'en', firstName: 'Annabel', notificationsOptOut: false }],
};

/** "A link guard that reads HTML" (issue 7): what a purchaser wrote reaches the owner, inert. */
describe('notify handler: markup a purchaser wrote is sent as words (SQS → DynamoDB Local + SES emulator)', () => {
  let notify: NotifyHandlerHarness;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    notify = await startNotifyHandler(`pt${Date.now().toString(36)}`, WORLD);
  });
  afterAll(() => notify?.close());

  it('sends one email for a gift message written as a link and a script: no such link or script in the HTML, the words in the text', async () => {
    // Prepare
    const message = purchaseMessageFactory({
      registryId: 'reg-ann',
      item: { itemId: 'item-1', title: 'Pram', quantity: 1 },
      purchaser: { displayName: '<img src=x>' },
      giftMessage: '<a href="http://x.example">click</a><script>x</script>',
    });

    // Act
    const response = await notify.invoke(sqsRecordFactory(message));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const mails = await mailbox.to(ANN);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.html).not.toMatch(/<a href="http:\/\/x|<script|<img/);
    expect(mail!.text).toContain('<img src=x> bought 1 × “Pram”');
    expect(mail!.text).toContain('> <a href="http꞉∕∕x·example">click</a><script>x</script>');
    expect(await notify.ledgerRow(message.eventId)).toMatchObject({ outcome: 'SENT', sesMessageId: mail!.messageId });
  });
});
