import { beforeEach, describe, expect, it } from 'vitest';
import { ClaimInProgressError, KeyUnavailableError, MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError } from '../../lambdas/platform/function-errors';
import type { LedgerEntry } from '../../lambdas/notices/ledger-entry';
import { addressHash } from '../../lambdas/directory/address-hash';
import { escapeHtml } from '../../lambdas/mail/render/escape-html';
import { UnsubscribeLinks } from '../../lambdas/mail/unsubscribe/unsubscribe-links';
import { readUnsubscribeToken } from '../../lambdas/mail/unsubscribe/unsubscribe-token';
import type { PurchaseMessage } from '../../lambdas/notices/purchase-message';
import { processPurchase } from '../../lambdas/notices/notify/process-purchase';
import { customerFactory, purchaseMessageFactory, registryFactory } from '../helpers/factories';
import { inMemoryPipeline } from '../helpers/in-memory-pipeline';

/** The usual world (Ann's registry with a stroller), on the given clock. */
function worldAt(now?: () => Date): ReturnType<typeof inMemoryPipeline> {
  const world = inMemoryPipeline(now ? { now } : {});
  world.registries.set('reg-ann', registryFactory());
  world.addItem('reg-ann', 'item-stroller');
  world.customers.set('cus-ann', customerFactory());
  return world;
}

/** A SENDING claim on the event, as another invocation writes it. */
function claimRow(eventId: string): LedgerEntry {
  return {
    noticeId: `evt#${eventId}`,
    eventId,
    purchaseId: 'pur-1',
    registryId: 'reg-ann',
    itemId: 'item-stroller',
    recipientCustomerId: 'cus-ann',
    outcome: 'SENDING',
    decidedAt: '2026-11-25T12:00:00.000Z',
    sender: 'registry-notices',
  };
}

/**
 * Processes `message` while SES does not accept it (`error`: the attempt must throw, so SQS
 * retries it), then again with SES back; resolves to the retry's result.
 */
async function retryAfterSesFailure(
  world: ReturnType<typeof inMemoryPipeline>,
  message: PurchaseMessage,
  error: MailNotAcceptedError,
): Promise<Awaited<ReturnType<typeof processPurchase>>> {
  world.state.sendImpl = async () => {
    throw error;
  };
  await expect(processPurchase(message, world.pipeline)).rejects.toBeInstanceOf(MailNotAcceptedError);
  world.state.sendImpl = undefined;
  return processPurchase(message, world.pipeline);
}

describe('processPurchase', () => {
  let world: ReturnType<typeof inMemoryPipeline>;

  beforeEach(() => {
    world = worldAt();
  });

  it('sends one notice to the owner from our data and records it as SENT', async () => {
    // Prepare
    const message = purchaseMessageFactory();

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toEqual({ kind: 'SENT', eventId: message.eventId, sesMessageId: 'ses-1' });
    expect(world.sent.map((e) => e.to)).toEqual(['ann@example.com']);
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({
      outcome: 'SENT',
      recipientCustomerId: 'cus-ann',
      recipientAddress: 'ann@example.com',
      template: 'purchase-notice/v1',
      locale: 'en',
      sesMessageId: 'ses-1',
      sender: 'registry-notices',
    });
  });

  it('sends exactly one email when the same message is delivered again', async () => {
    // Prepare
    const message = purchaseMessageFactory();

    // Act
    const first = await processPurchase(message, world.pipeline);
    const second = await processPurchase(message, world.pipeline);

    // Assess
    expect([first.kind, second.kind]).toEqual(['SENT', 'DUPLICATE']);
    expect(world.sent).toHaveLength(1);
  });

  it('records RECIPIENT_ERASED, sends nothing and keeps no address when the owner is erased between the guards and the claim', async () => {
    // Prepare: the guards read Ann's row; the erasure marks it before the claim.
    world.erasedAtClaim.add('cus-ann');
    const message = purchaseMessageFactory();

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toMatchObject({ kind: 'BLOCKED', reason: 'RECIPIENT_ERASED' });
    expect(world.sent).toHaveLength(0);
    const row = world.ledger.get(`evt#${message.eventId}`);
    expect(row).toMatchObject({ outcome: 'BLOCKED', reason: 'RECIPIENT_ERASED' });
    expect(row).not.toHaveProperty('recipientAddress');
    expect(JSON.stringify(row)).not.toContain(customerFactory().email);
  });

  it('sends one notice per purchase and item, whatever the event ids: the second is BLOCKED and names the first', async () => {
    // Prepare: one purchase, sent by the producer under two event ids.
    const first = purchaseMessageFactory({ purchaseId: 'pur-twice' });
    const second = { ...first, eventId: `${first.eventId}-again` };

    // Act
    const results = [await processPurchase(first, world.pipeline), await processPurchase(second, world.pipeline)];
    const again = await processPurchase(second, world.pipeline);

    // Assess
    expect(results.map((r) => r.kind)).toEqual(['SENT', 'BLOCKED']);
    expect(results[1]).toMatchObject({ reason: 'DUPLICATE_PURCHASE_ITEM' });
    expect(again.kind).toBe('DUPLICATE');
    expect(world.sent).toHaveLength(1);
    expect(world.ledger.get(`evt#${second.eventId}`)).toMatchObject({ outcome: 'BLOCKED', reason: 'DUPLICATE_PURCHASE_ITEM', duplicateOf: `evt#${first.eventId}` });
    expect(world.ledger.get(`evt#${second.eventId}`)).not.toHaveProperty('recipientAddress');
  });

  it('sends a notice for each item of one purchase', async () => {
    // Prepare
    world.addItem('reg-ann', 'item-cot');
    const stroller = purchaseMessageFactory({ purchaseId: 'pur-two-items' });
    const cot = purchaseMessageFactory({ purchaseId: 'pur-two-items', item: { itemId: 'item-cot', title: 'Cot', quantity: 1 } });

    // Act
    const results = [await processPurchase(stroller, world.pipeline), await processPurchase(cot, world.pipeline)];

    // Assess
    expect(results.map((r) => r.kind)).toEqual(['SENT', 'SENT']);
    expect(world.sent).toHaveLength(2);
  });

  it('sends one email when two copies are in one batch, and the second is deleted as a duplicate', async () => {
    // Prepare: a clock that stands still, so both copies start and claim in the same millisecond.
    const clock = new Date('2026-11-25T12:00:00Z');
    world = worldAt(() => clock);
    const message = purchaseMessageFactory({ purchasedAt: '2026-11-25T11:00:00Z' });

    // Act: the records of a batch run concurrently.
    const results = await Promise.allSettled([
      processPurchase(message, world.pipeline),
      processPurchase(message, world.pipeline),
    ]);

    // Assess: a duplicate, not a retry (which would wait out the visibility timeout).
    expect(world.sent).toHaveLength(1);
    const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as Error).name));
    expect(kinds.sort()).toEqual(['DUPLICATE', 'SENT']);
  });

  it('deletes as a duplicate the copy that lost the claim to a copy in another execution environment', async () => {
    // Prepare: while this copy reads the owner, another environment claims the event.
    let clock = new Date('2026-11-25T12:00:00Z');
    world = worldAt(() => clock);
    const message = purchaseMessageFactory({ purchasedAt: '2026-11-25T11:00:00Z' });
    const getCustomer = world.pipeline.customers.getCustomer;
    world.pipeline = {
      ...world.pipeline,
      customers: {
        getCustomer: async (id) => {
          clock = new Date(clock.getTime() + 40);
          world.ledger.set(`evt#${message.eventId}`, { ...claimRow(message.eventId), decidedAt: clock.toISOString() });
          return getCustomer(id);
        },
      },
    };

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toEqual({ kind: 'DUPLICATE', eventId: message.eventId });
    expect(world.sent).toHaveLength(0);
  });

  it('backs off while another invocation holds a fresh claim it made before this copy came', async () => {
    // Prepare
    const clock = new Date('2026-11-25T12:00:00Z');
    world = worldAt(() => clock);
    const message = purchaseMessageFactory({ purchasedAt: '2026-11-25T11:00:00Z' });
    world.ledger.set(`evt#${message.eventId}`, { ...claimRow(message.eventId), decidedAt: new Date(clock.getTime() - 10_000).toISOString() });

    // Act
    const copy = processPurchase(message, world.pipeline);

    // Assess
    await expect(copy).rejects.toBeInstanceOf(ClaimInProgressError);
    expect(world.sent).toHaveLength(0);
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'SENDING' });
  });

  it('sends nothing for a redelivered event that was sent, even when a guard now says no', async () => {
    // Prepare
    const message = purchaseMessageFactory();
    await processPurchase(message, world.pipeline);
    world.registries.set('reg-ann', registryFactory({ status: 'CLOSED' }));

    // Act
    const again = await processPurchase(message, world.pipeline);

    // Assess
    expect(again.kind).toBe('DUPLICATE');
    expect(world.sent).toHaveLength(1);
    expect([...world.ledger.values()].map((row) => row.outcome)).toEqual(['SENT']);
  });

  it('records which guard said no and sends nothing', async () => {
    // Prepare
    world.registries.set('reg-ann', registryFactory({ purchaseNotifications: false }));
    const message = purchaseMessageFactory();

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toEqual({ kind: 'BLOCKED', eventId: message.eventId, reason: 'NOTIFICATIONS_OFF' });
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'BLOCKED', reason: 'NOTIFICATIONS_OFF' });
    expect(world.sent).toHaveLength(0);
  });

  it('never mails the customer the producer names, only the owner', async () => {
    // Prepare
    world.customers.set('cus-eve', customerFactory({ customerId: 'cus-eve', email: 'eve@example.com' }));
    const message = purchaseMessageFactory({ recipientCustomerId: 'cus-eve' });

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toMatchObject({ kind: 'BLOCKED', reason: 'RECIPIENT_MISMATCH' });
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({
      claimedRecipientCustomerId: 'cus-eve',
      recipientCustomerId: 'cus-ann',
    });
    expect(world.sent).toHaveLength(0);
  });

  it('blocks a suppressed owner address', async () => {
    // Prepare
    world.suppress('ANN@example.com');

    // Act
    const result = await processPurchase(purchaseMessageFactory(), world.pipeline);

    // Assess
    expect(result).toMatchObject({ kind: 'BLOCKED', reason: 'ADDRESS_SUPPRESSED' });
    expect(world.sent).toHaveLength(0);
  });

  it('puts the message back with a delay while sending is paused, and records nothing', async () => {
    // Prepare
    world.state.paused = true;
    const message = purchaseMessageFactory();

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toMatchObject({ kind: 'DEFERRED', delaySeconds: 900, because: 'SENDING_PAUSED' });
    expect(world.deferred).toEqual([{ body: JSON.stringify(message), delaySeconds: 900 }]);
    expect(world.ledger.size).toBe(0);
    expect(world.sent).toHaveLength(0);
  });

  it('sends the deferred message once sending is resumed', async () => {
    // Prepare
    world.state.paused = true;
    const message = purchaseMessageFactory();
    await processPurchase(message, world.pipeline);
    world.state.paused = false;

    // Act
    const result = await processPurchase(JSON.parse(world.deferred[0]!.body) as PurchaseMessage, world.pipeline);

    // Assess
    expect(result.kind).toBe('SENT');
    expect(world.sent).toHaveLength(1);
  });

  it.each([
    { when: 'SES throttled the first attempt', error: new MailNotAcceptedError('THROTTLED', 'throttled') },
    { when: 'SES could not be reached (nothing went out)', error: new MailNotAcceptedError('UNREACHABLE', 'connect ECONNREFUSED') },
  ])('lets a retry send when $when', async ({ error }) => {
    // Act
    const retry = await retryAfterSesFailure(world, purchaseMessageFactory(), error);

    // Assess
    expect(retry.kind).toBe('SENT');
    expect(world.sent).toHaveLength(1);
  });

  describe('a producer clock that runs fast', () => {
    const NOW = new Date('2026-11-25T12:00:00Z');
    let clock: Date;
    beforeEach(() => {
      clock = NOW;
      const registries = world.registries;
      const customers = world.customers;
      world = inMemoryPipeline({ now: () => clock });
      for (const [id, registry] of registries) world.registries.set(id, registry);
      for (const [id, customer] of customers) world.customers.set(id, customer);
      world.addItem('reg-ann', 'item-stroller');
    });

    it('puts a purchase 6 minutes ahead back until it is within 5 minutes, records nothing, then sends it', async () => {
      // Prepare
      const message = purchaseMessageFactory({ purchasedAt: '2026-11-25T12:06:00Z' });

      // Act
      const early = await processPurchase(message, world.pipeline);
      clock = new Date(NOW.getTime() + 60_000);
      const later = await processPurchase(JSON.parse(world.deferred[0]!.body) as PurchaseMessage, world.pipeline);

      // Assess
      expect(early).toEqual({ kind: 'DEFERRED', eventId: message.eventId, delaySeconds: 60, because: 'CLOCK_AHEAD' });
      expect(world.deferred).toEqual([{ body: JSON.stringify(message), delaySeconds: 60 }]);
      expect(later.kind).toBe('SENT');
      expect(world.sent).toHaveLength(1);
    });

    it('waits at most SQS\'s 15-minute delay at a time for a purchase hours ahead, and decides nothing meanwhile', async () => {
      // Act
      const result = await processPurchase(purchaseMessageFactory({ purchasedAt: '2026-11-25T18:00:00Z' }), world.pipeline);

      // Assess
      expect(result).toMatchObject({ kind: 'DEFERRED', delaySeconds: 900, because: 'CLOCK_AHEAD' });
      expect(world.ledger.size).toBe(0);
      expect(world.sent).toHaveLength(0);
    });

    it('sends at once a purchase exactly 5 minutes ahead (the contract\'s tolerance)', async () => {
      expect((await processPurchase(purchaseMessageFactory({ purchasedAt: '2026-11-25T12:05:00Z' }), world.pipeline)).kind).toBe('SENT');
    });
  });

  it('records a permanent SES refusal as FAILED without retrying', async () => {
    // Prepare
    const message = purchaseMessageFactory();
    world.state.sendImpl = async () => {
      throw new MailRejectedError('MessageRejected', 'rejected');
    };

    // Act
    const result = await processPurchase(message, world.pipeline);

    // Assess
    expect(result).toEqual({ kind: 'FAILED', eventId: message.eventId, code: 'MessageRejected' });
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'FAILED', reason: 'SES_MessageRejected' });
  });

  it('marks the notice UNCERTAIN at once when the request reached SES and no answer came, and never sends it again', async () => {
    // Prepare
    const message = purchaseMessageFactory();
    let attempts = 0;
    world.state.sendImpl = async () => {
      attempts += 1;
      throw new MailOutcomeUnknownError('socket timed out after the request was written');
    };

    // Act
    const first = await processPurchase(message, world.pipeline);
    world.state.sendImpl = undefined;
    const redelivery = await processPurchase(message, world.pipeline);

    // Assess
    expect(first).toEqual({ kind: 'UNCERTAIN', eventId: message.eventId });
    expect(redelivery).toEqual({ kind: 'DUPLICATE', eventId: message.eventId });
    expect(attempts + world.sent.length).toBe(1);
    // The purchase message is kept, so an operator's resolve can have it re-sent.
    expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({
      outcome: 'UNCERTAIN',
      reason: 'SES_OUTCOME_UNKNOWN',
      purchaseMessage: JSON.stringify(message),
    });
  });

  describe('when the function dies between the SES call and the ledger write', () => {
    let clock: Date;
    let message: PurchaseMessage;

    beforeEach(async () => {
      // SES takes the email, then the "process" dies before the SENT write.
      clock = new Date('2026-11-25T12:00:00Z');
      message = purchaseMessageFactory({ purchasedAt: '2026-11-25T11:00:00Z' });
      world = worldAt(() => clock);
      world.state.markSentImpl = async () => {
        throw new Error('the function timed out');
      };
      await expect(processPurchase(message, world.pipeline)).rejects.toThrow('the function timed out');
      world.state.markSentImpl = undefined;
    });

    it('never sends a second email: the redelivery marks the notice UNCERTAIN', async () => {
      // Act: SQS redelivers after the visibility timeout (180 s).
      clock = new Date(clock.getTime() + 180_000);
      const redelivery = await processPurchase(message, world.pipeline);

      // Assess
      expect(redelivery).toEqual({ kind: 'UNCERTAIN', eventId: message.eventId });
      expect(world.sent).toHaveLength(1);
      expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'UNCERTAIN', reason: 'CLAIM_ABANDONED' });
    });

    it('records it as SENT instead when an SES event has told us about the email meanwhile', async () => {
      // Prepare: the feedback function kept SES's Delivery event on the row.
      const row = world.ledger.get(`evt#${message.eventId}`)!;
      world.ledger.set(row.noticeId, { ...row, sesEvents: { Delivery: { at: '2026-11-25T12:00:03.000Z', messageId: 'ses-1' } } });
      clock = new Date(clock.getTime() + 180_000);

      // Act
      const redelivery = await processPurchase(message, world.pipeline);

      // Assess
      expect(redelivery).toEqual({ kind: 'SENT', eventId: message.eventId, sesMessageId: 'ses-1' });
      expect(world.sent).toHaveLength(1);
      expect(world.ledger.get(row.noticeId)).toMatchObject({ outcome: 'SENT', sesMessageId: 'ses-1', sentAt: '2026-11-25T12:00:03.000Z' });
    });

    it('backs off while the claim is fresh (a concurrent copy may still be sending)', async () => {
      // Act
      const immediateCopy = processPurchase(message, world.pipeline);

      // Assess
      await expect(immediateCopy).rejects.toBeInstanceOf(ClaimInProgressError);
      expect(world.sent).toHaveLength(1);
    });
  });

  describe('an operator-approved re-send of a notice in doubt', () => {
    let message: PurchaseMessage;
    const approve = () => {
      const row = world.ledger.get(`evt#${message.eventId}`)!;
      world.ledger.set(row.noticeId, { ...row, resend: { state: 'APPROVED', by: 'arn:aws:iam::123456789012:user/ops', at: '2026-11-25T12:30:00Z' } });
    };

    beforeEach(async () => {
      // The first send's answer was lost: the notice is UNCERTAIN, with nothing from SES since.
      message = purchaseMessageFactory();
      world.state.sendImpl = async () => {
        throw new MailOutcomeUnknownError('socket hang up');
      };
      await processPurchase(message, world.pipeline);
      world.state.sendImpl = undefined;
    });

    it('sends once, however often the message comes back, and records the notice SENT', async () => {
      // Prepare
      approve();

      // Act
      const first = await processPurchase(message, world.pipeline);
      const again = await processPurchase(message, world.pipeline);

      // Assess
      expect(first).toEqual({ kind: 'RESENT', eventId: message.eventId, sesMessageId: 'ses-1' });
      expect(again).toEqual({ kind: 'DUPLICATE', eventId: message.eventId });
      expect(world.sent.map((e) => e.to)).toEqual(['ann@example.com']);
      expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'SENT', sesMessageId: 'ses-1', resend: { state: 'SENT' } });
    });

    it('sends nothing without an approval', async () => {
      // Act
      const result = await processPurchase(message, world.pipeline);

      // Assess
      expect(result.kind).toBe('DUPLICATE');
      expect(world.sent).toHaveLength(0);
    });

    it('refuses when a guard says no now: the address was suppressed since', async () => {
      // Prepare
      approve();
      world.suppress('ann@example.com');

      // Act
      const result = await processPurchase(message, world.pipeline);

      // Assess
      expect(result).toEqual({ kind: 'RESEND_REFUSED', eventId: message.eventId, reason: 'ADDRESS_SUPPRESSED' });
      expect(world.sent).toHaveLength(0);
      expect(world.ledger.get(`evt#${message.eventId}`)).toMatchObject({ outcome: 'UNCERTAIN', resend: { state: 'REFUSED', reason: 'ADDRESS_SUPPRESSED' } });
    });

    it('refuses when the owner is now someone else than the person first mailed', async () => {
      // Prepare
      approve();
      world.customers.set('cus-ann', customerFactory({ email: 'ann.new@example.com' }));

      // Act
      const result = await processPurchase(message, world.pipeline);

      // Assess
      expect(result).toEqual({ kind: 'RESEND_REFUSED', eventId: message.eventId, reason: 'RECIPIENT_CHANGED' });
      expect(world.sent).toHaveLength(0);
    });

    it('gives the claim back when SES was unreachable, so the retry sends it', async () => {
      // Prepare
      approve();

      // Act
      const retry = await retryAfterSesFailure(world, message, new MailNotAcceptedError('UNREACHABLE', 'connect ECONNREFUSED'));

      // Assess
      expect(retry.kind).toBe('RESENT');
      expect(world.sent).toHaveLength(1);
    });
  });
});

describe('processPurchase and one-click unsubscribe', () => {
  let world: ReturnType<typeof inMemoryPipeline>;

  beforeEach(() => {
    world = inMemoryPipeline();
    world.registries.set('reg-ann', registryFactory());
    world.addItem('reg-ann', 'item-stroller');
    world.registries.set('reg-ann-2', registryFactory({ registryId: 'reg-ann-2' }));
    world.addItem('reg-ann-2', 'item-stroller');
    world.customers.set('cus-ann', customerFactory({ locale: 'de-AT' }));
  });

  it("puts the owner's signed link for this registry in the header and in the body, the same URL", async () => {
    // Act
    await processPurchase(purchaseMessageFactory(), world.pipeline);

    // Assess
    const [email] = world.sent;
    const url = new URL(email!.listUnsubscribe!);
    expect(url.origin).toBe('https://unsubscribe.example');
    expect(email!.html).toContain(escapeHtml(url.toString()));
    expect(email!.text).toContain(url.toString());
    const reading = await readUnsubscribeToken(url.searchParams.get('token')!, world.macKey.verify, new Date(), world.tokenSeal.source);
    expect(reading).toMatchObject({
      ok: true,
      claims: { addressHash: addressHash('ann@example.com'), scope: { kind: 'REGISTRY', registryId: 'reg-ann' }, locale: 'de' },
    });
  });

  it('blocks the next notice for a registry the owner unsubscribed from as opted out, and sends nothing', async () => {
    // Prepare
    world.unsubscribe('ann@example.com', 'REGISTRY#reg-ann');

    // Act
    const result = await processPurchase(purchaseMessageFactory(), world.pipeline);

    // Assess
    expect(result).toMatchObject({ kind: 'BLOCKED', reason: 'ADDRESS_OPTED_OUT' });
    expect(world.sent).toEqual([]);
  });

  it("still sends notices for the owner's other registries, and none at all after an unsubscribe from all mail", async () => {
    // Prepare
    world.unsubscribe('ann@example.com', 'REGISTRY#reg-ann');

    // Act
    const other = await processPurchase(purchaseMessageFactory({ registryId: 'reg-ann-2' }), world.pipeline);
    world.unsubscribe('ann@example.com', 'ALL');
    const afterAll = await processPurchase(purchaseMessageFactory({ registryId: 'reg-ann-2' }), world.pipeline);

    // Assess
    expect(other.kind).toBe('SENT');
    expect(afterAll).toMatchObject({ kind: 'BLOCKED', reason: 'ADDRESS_OPTED_OUT' });
  });

  it('sends nothing and claims nothing when the key cannot sign the link: the record is retried', async () => {
    // Prepare
    const failing = new UnsubscribeLinks({
      baseUrl: 'https://unsubscribe.example/',
      validityDays: 90,
      generateMac: async () => {
        throw new KeyUnavailableError('KMS throttled');
      },
      seal: world.tokenSeal.source,
      now: () => new Date(),
    });
    const message = purchaseMessageFactory();

    // Act
    const act = processPurchase(message, { ...world.pipeline, unsubscribeLinks: failing });

    // Assess
    await expect(act).rejects.toThrow(KeyUnavailableError);
    expect(world.sent).toEqual([]);
    expect(world.ledger.has(`evt#${message.eventId}`)).toBe(false);
  });
});
