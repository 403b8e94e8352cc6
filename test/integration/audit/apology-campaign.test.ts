import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { KmsMacKey } from '../../../lambdas/mail/unsubscribe/kms-mac-key';
import { SesMailer } from '../../../lambdas/mail/ses/ses-mailer';
import { sesClient } from '../../../lambdas/platform/aws/ses-client';
import { sesProxy, THROTTLED } from '../../support/ses-proxy';
import { DynamoDbApologyMailEvents } from '../../../lambdas/audit/audit-table/apology-mail-events';
import { DynamoDbApologyRecords } from '../../../lambdas/audit/audit-table/apology-records';
import { SendResult, type SenderDeps } from '../../../lambdas/audit/apology/send-apology';
import { resolveUncertain } from '../../../lambdas/operator/notices/resolve-uncertain';
import { readUnsubscribeToken } from '../../../lambdas/mail/unsubscribe/unsubscribe-token';
import { kmsTokenSeal } from '../../../lambdas/mail/unsubscribe/kms-token-seal';
import { approveCampaign } from '../../../lambdas/audit/campaign/approve-campaign';
import { campaignStatus } from '../../../lambdas/audit/campaign/campaign-status';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { MailOutcomeUnknownError } from '../../../lambdas/platform/function-errors';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';
import { EXPECTED_APOLOGIES, NO_APOLOGY, OPS_PERSON, seedIncident } from './seed-incident';
import { kms } from '../../../lambdas/platform/clients/kms';

const plenty = (): number => 60_000;

describe('apology campaign: audit → plan → approve → apology queue → sender, against DynamoDB Local, fauxqs and the SES emulator', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  let incidentId: string;
  const mailbox = new Mailbox();

  beforeAll(() => {
    clients = createAwsClients();
  });
  afterAll(() => clients.destroy());

  beforeEach(async () => {
    world = await createAuditWorld(clients);
    incidentId = await seedIncident(world);
  });

  const mailTo = async (local: string) => mailbox.to(world.address(local));
  const allMail = async () => (await mailbox.list()).filter((e) => e.to.some((a) => a.endsWith(world.domain)));
  const count = (results: readonly SendResult[], result: SendResult): number => results.filter((r) => r === result).length;

  it('dry run reports counts by reason and a masked sample, and sends nothing', async () => {
    // Act
    const report = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });

    // Assess
    expect(report).toMatchObject({ done: true, state: 'AWAITING_APPROVAL' });
    expect(report.summary).toMatchObject({
      toApologise: 3,
      toApologiseByReason: { NOT_THE_OWNER: 1, NOT_A_PARTICIPANT: 1, REGISTRY_CLOSED: 1 },
      skipped: { RIGHTLY_NOTIFIED: 1, OPTED_OUT: 1, SUPPRESSED: 1 },
      // dora, a customer with no registry, is NOT_A_PARTICIPANT (byOwner); bob owns another registry.
      wrongNotices: { NOT_THE_OWNER: 1, NOT_A_PARTICIPANT: 4, REGISTRY_CLOSED: 1, DUPLICATE: 1 },
    });
    expect(report.sample.map((s) => s.address).sort()).toEqual([`b***@${world.domain}`, `c***@${world.domain}`, `z***@${world.domain}`]);
    expect(await allMail()).toHaveLength(0);
  });

  it('waits for approval, then enqueues; the sender sends exactly the planned apologies, each once, in each language', async () => {
    // Prepare
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });
    const deps = world.with({ settings: { approvalThreshold: 2 } });

    // Act
    const beforeApproval = await runAuditOnce(deps, plenty);
    await approveCampaign(incidentId, { approvedBy: OPS_PERSON, plannedAt: dry.plannedAt }, { ...deps, approvalThreshold: 2 }, new Date());
    const first = await runAuditOnce(deps, plenty);
    const drained = await world.drain();
    const second = await runAuditOnce(deps, plenty);
    const again = await world.drain();

    // Assess
    expect(beforeApproval.campaigns).toEqual([]);
    expect(first.campaigns[0]).toMatchObject({ enqueuedNow: 3, enqueued: 3, allEnqueued: true, complete: false });
    expect(count(drained.results, SendResult.SENT)).toBe(3);
    expect(second.campaigns[0]).toMatchObject({ enqueuedNow: 0, complete: true });
    expect(again.results).toEqual([]);
    for (const [local, locale] of Object.entries(EXPECTED_APOLOGIES)) {
      const mail = await mailTo(local);
      expect(mail, local).toHaveLength(1);
      expect(mail[0]?.subject).toBe(locale === 'de' ? 'Wir haben Ihnen irrtümlich eine E-Mail geschickt' : 'We sent you an email by mistake');
    }
    for (const local of NO_APOLOGY) expect(await mailTo(local), local).toHaveLength(0);
    expect(await allMail()).toHaveLength(3);
    // A customer is told their account is unchanged; an address with no account hears of none.
    expect((await mailTo('bob'))[0]?.text).toContain('an Ihrem Kundenkonto hat sich nichts geändert');
    expect((await mailTo('carl'))[0]?.text).toContain('nothing about your account has changed');
    expect((await mailTo('zoe'))[0]?.text).toContain('You do not need to do anything.');
    expect((await mailTo('zoe'))[0]?.text?.toLowerCase()).not.toContain('account');
    expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 3 });
  });

  it('sends an apology in 5 DynamoDB requests: one batch read (row, suppression, unsubscribe), the customer query, the claim, the settle, and a slot write shared by the batch; no read of the claim first', async () => {
    // Prepare: the three apologies enqueued; every DynamoDB request the sender makes from here on counted.
    await runAuditOnce(world.deps, plenty);
    const operations: string[] = [];
    const stack = clients.dynamodb.middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        operations.push((context.commandName ?? '?').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'deserialize', name: 'countSenderRequests' },
    );

    // Act: one poller, so the three records come in one batch.
    let drained: Awaited<ReturnType<AuditWorld['drain']>>;
    try {
      drained = await world.drain(world.sender, { concurrency: 1 });
    } finally {
      stack.remove('countSenderRequests');
    }

    // Assess
    const counted = (name: string): number => operations.filter((o) => o === name).length;
    expect(count(drained.results, SendResult.SENT)).toBe(3);
    // One GetItem in all: the incident's key layout, read once per execution environment (shared by the batch), never a claim.
    expect(counted('GetItem')).toBe(1);
    expect([counted('BatchGetItem'), counted('Query'), counted('PutItem'), counted('TransactWriteItems')]).toEqual([3, 3, 3, 3]);
    // The slot schedule's writes (one for records that wait together; more only for a slot missed on a loaded machine), and nothing else.
    expect(counted('UpdateItem')).toBeGreaterThanOrEqual(1);
    expect(operations.filter((o) => o !== 'UpdateItem')).toHaveLength(13);
  });

  it('plans and enqueues a campaign within the approval threshold without waiting; status reads the counters', async () => {
    // Act
    const run = await runAuditOnce(world.deps, plenty);
    await world.drain();
    const status = await campaignStatus(incidentId, world.deps);

    // Assess
    expect(run.campaignsPlanned).toEqual([{ incidentId, state: 'APPROVED', toApologise: 3, finishedNow: true }]);
    expect(run.campaigns[0]).toMatchObject({ enqueuedNow: 3, allEnqueued: true });
    expect(status.progress).toMatchObject({ state: 'COMPLETE', toApologise: 3, settled: 3, claims: { SENT: 3 }, allowedRate: 14, etaSeconds: 0 });
  });

  it('skips who unsubscribed from all mail, before planning or after, and gives every apology a signed one-click link from all mail', async () => {
    // Prepare: zoe unsubscribed before the plan, carl between the plan and the send.
    await world.unsubscribeFromAll('zoe');
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });
    await approveCampaign(incidentId, { approvedBy: OPS_PERSON, plannedAt: dry.plannedAt }, { ...world.deps, approvalThreshold: 2 }, new Date());
    await world.unsubscribeFromAll('carl');

    // Act
    const run = await runAuditOnce(world.with({ settings: { approvalThreshold: 2 } }), plenty);
    const drained = await world.drain();

    // Assess
    expect(dry.summary).toMatchObject({ toApologise: 2, skipped: { OPTED_OUT: 2 } });
    expect(run.campaigns[0]).toMatchObject({ enqueuedNow: 2, allEnqueued: true });
    expect(drained.results.sort()).toEqual([SendResult.SENT, SendResult.SKIPPED]);
    expect((await allMail()).map((m) => m.to[0])).toEqual([world.address('bob')]);
    const [bob] = await mailTo('bob');
    const header = bob!.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    expect(bob!.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const link = /^<(https:\/\/unsubscribe\.example\/\?token=[^>]+)>$/.exec(header)?.[1];
    expect(bob!.text).toContain(link);
    const reading = await readUnsubscribeToken(new URL(link!).searchParams.get('token')!, new KmsMacKey(kms, world.env.UNSUBSCRIBE_KEY_ARN!).verify, new Date(), kmsTokenSeal(kms, world.env.UNSUBSCRIBE_SEAL_KEY_ARN!));
    expect(reading).toMatchObject({ ok: true, claims: { addressHash: addressHash(world.address('bob')), scope: { kind: 'ALL' }, locale: 'de' } });
  });

  it('re-checks suppression and opt-out just before sending: an address suppressed since the plan is skipped', async () => {
    // Prepare: planned with zoe and bob in it; then zoe bounces and bob opts out.
    await runAuditOnce(world.deps, plenty);
    await world.suppress('zoe');
    await world.putCustomer('cus-bob', 'bob', 'de', true);

    // Act
    const drained = await world.drain();

    // Assess
    expect(count(drained.results, SendResult.SKIPPED)).toBe(2);
    expect(await mailTo('zoe')).toHaveLength(0);
    expect(await mailTo('bob')).toHaveLength(0);
    expect(await mailTo('carl')).toHaveLength(1);
    expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 1, SKIPPED: 2 });
  });

  it('puts apologies back while the kill switch is on (not into the DLQ), and sends them once it is off', async () => {
    // Prepare
    await runAuditOnce(world.deps, plenty);
    let paused = true;
    const sender = world.senderWith({ killSwitch: { isPaused: async () => paused } });

    // Act: paused for a few rounds of redelivery, then switched off.
    const whilePaused = await world.drain(sender, { until: (r) => r.results.length >= 6 });
    const mailWhilePaused = await allMail();
    paused = false;
    const after = await world.drain(sender);

    // Assess
    expect(whilePaused.results.every((r) => r === SendResult.DEFERRED_PAUSED)).toBe(true);
    expect(whilePaused.retried).toBe(0);
    expect(mailWhilePaused).toHaveLength(0);
    expect(count(after.results, SendResult.SENT)).toBe(3);
    expect(await allMail()).toHaveLength(3);
  });

  it('marks an apology of unknown outcome UNCERTAIN, never re-sends it, and the status says so', async () => {
    // Prepare
    await runAuditOnce(world.deps, plenty);
    let sends = 0;
    const flaky = world.senderWith({
      mailer: {
        send: async (email) => {
          const id = await world.sender.mailer.send(email);
          if (++sends === 1) throw new MailOutcomeUnknownError('socket hang up');
          return id;
        },
      },
    });

    // Act
    const drained = await world.drain(flaky);
    const status = await campaignStatus(incidentId, world.deps);

    // Assess
    expect(count(drained.results, SendResult.UNCERTAIN)).toBe(1);
    expect(await allMail()).toHaveLength(3);
    expect(status.progress).toMatchObject({ state: 'COMPLETE', claims: { SENT: 2, UNCERTAIN: 1 } });
  });

  describe('notice resolve on an apology in doubt (through the apology queue and the sender)', () => {
    const OPERATOR = 'arn:aws:iam::123456789012:user/operator-ann';
    // One apology is cut mid-flight: SES never took it (as when a kill cuts a request), so it is UNCERTAIN with no event.
    const cutOnce = (): SenderDeps => {
      let cut = false;
      return world.senderWith({
        mailer: {
          send: async (email) => {
            if (!cut && email.to === world.address('zoe')) {
              cut = true;
              throw new MailOutcomeUnknownError('socket hang up');
            }
            return world.sender.mailer.send(email);
          },
        },
      });
    };
    const resolveDeps = () => ({
      notices: { approveResend: async () => false, get: async () => undefined, noticeIdsTo: async () => [], inDoubt: async () => [] },
      purchases: { defer: () => Promise.reject(new Error('no notice is resolved here')) },
      apologies: new DynamoDbApologyRecords(clients.documentClient, world.tables.audit),
      apologyQueue: world.deps.apologyQueue,
    });
    const zoeId = () => `${incidentId}/${addressHash(world.address('zoe'))}`;
    // The window has passed: asked a little later than the doubt (settleSeconds 1, one second on).
    const resolve = (options: { settleSeconds?: number } = {}) =>
      resolveUncertain({ apologyIds: [zoeId()] }, resolveDeps(), { by: OPERATOR, now: new Date(Date.now() + 1_500), settleSeconds: options.settleSeconds ?? 1 });

    it('re-sends it once, by the sender, recording who approved it; the counters move UNCERTAIN → SENT', async () => {
      // Prepare
      await runAuditOnce(world.deps, plenty);
      await world.drain(cutOnce());
      const before = await world.deps.campaigns.claimCounts(incidentId);

      // Act: too soon, then past the window, then again; the sender drains between.
      const tooSoon = await resolveUncertain({ apologyIds: [zoeId()] }, resolveDeps(), { by: OPERATOR, now: new Date(), settleSeconds: 900 });
      const [queued] = await resolve();
      const drained = await world.drain();
      const [again] = await resolve();
      const afterAgain = await world.drain();

      // Assess
      expect(before).toEqual({ SENT: 2, UNCERTAIN: 1 });
      expect(tooSoon[0]).toMatchObject({ kind: 'apology', id: zoeId(), result: 'TOO_RECENT' });
      expect(queued).toMatchObject({ result: 'QUEUED' });
      expect(drained.results).toEqual([SendResult.SENT]);
      expect(await mailTo('zoe')).toHaveLength(1);
      expect(again).toMatchObject({ result: 'ALREADY_RESENT', detail: expect.stringContaining(`SENT, approved by ${OPERATOR}`) });
      expect(afterAgain.results).toEqual([]);
      expect(await allMail()).toHaveLength(3);
      expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 3, UNCERTAIN: 0 });
      expect(await world.deps.campaigns.claimOf(incidentId, addressHash(world.address('zoe')))).toMatchObject({
        state: 'SENT',
        resend: { state: 'SENT', by: OPERATOR, sesMessageId: expect.any(String) },
      });
    });

    it('re-checks the guards at send time: an address suppressed since the approval is skipped, nothing sent', async () => {
      // Prepare
      await runAuditOnce(world.deps, plenty);
      await world.drain(cutOnce());

      // Act
      const [queued] = await resolve();
      await world.suppress('zoe');
      const drained = await world.drain();

      // Assess
      expect(queued).toMatchObject({ result: 'QUEUED' });
      expect(drained.results).toEqual([SendResult.SKIPPED]);
      expect(await mailTo('zoe')).toHaveLength(0);
      expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 2, SKIPPED: 1, UNCERTAIN: 0 });
      expect(await world.deps.campaigns.claimOf(incidentId, addressHash(world.address('zoe')))).toMatchObject({ state: 'SKIPPED', resend: { state: 'SKIPPED' } });
    });

    it('never re-sends one whose SES event came after the approval, nor one SES has reported on', async () => {
      // Prepare: zoe's first email did go after all; SES's Send event comes once the re-send is approved.
      await runAuditOnce(world.deps, plenty);
      await world.drain(cutOnce());
      const events = new DynamoDbApologyMailEvents(clients.documentClient, world.tables.audit);
      const key = { incidentId, addressHash: addressHash(world.address('zoe')) };

      // Act
      const [queued] = await resolve();
      await events.record(key, 'Send', { at: new Date().toISOString(), messageId: 'ses-first-email' }, key.addressHash);
      const drained = await world.drain();
      const [heard] = await resolve();

      // Assess
      expect(queued).toMatchObject({ result: 'QUEUED' });
      expect(drained.results).toEqual([SendResult.DUPLICATE]);
      expect(await mailTo('zoe')).toHaveLength(0);
      expect(heard).toMatchObject({ result: 'ALREADY_RESENT', detail: expect.stringContaining(`APPROVED, approved by ${OPERATOR}`) });
      expect(await world.deps.campaigns.claimOf(incidentId, key.addressHash)).toMatchObject({ state: 'UNCERTAIN', resend: { state: 'APPROVED' } });
    });
  });

  it('sends each apology once when the recipients are enqueued twice and drained by overlapping senders', async () => {
    // Prepare: every recipient on the queue twice (as after a crash between enqueue and cursor save).
    await runAuditOnce(world.deps, plenty);
    const page = await world.deps.campaigns.recipients(incidentId, undefined, 100);
    await world.deps.apologyQueue.enqueue(
      page.recipients.flatMap((r) => (r.decision === 'APOLOGISE' ? [{ v: 1 as const, incidentId, addressHash: r.addressHash, noticeId: r.noticeId, reason: r.reason, locale: r.locale }] : [])),
    );

    // Act
    const drained = await world.drain(world.sender, { concurrency: 4 });

    // Assess
    expect(count(drained.results, SendResult.SENT)).toBe(3);
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailTo(local), local).toHaveLength(1);
    expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 3 });
  });

  it('sends each apology once when overlapping audit runs both get past the lease (cursor and claims alone)', async () => {
    // Prepare: a lease that always says yes, as if one run's lease had expired under it.
    await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 100 });
    const noLease = world.with({ lease: { acquire: async () => true, release: async () => undefined, heldUntil: async () => undefined } });

    // Act
    await Promise.all([runAuditOnce(noLease, plenty), runAuditOnce(noLease, plenty), runAuditOnce(noLease, plenty)]);
    await world.drain();

    // Assess
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailTo(local), local).toHaveLength(1);
    expect(await allMail()).toHaveLength(3);
  });

  it('backs off when SES throttles: releases the claim, opens the breaker for every sender, puts the apology back, and sends it later', async () => {
    // Prepare: SES answers 429 to the first two sends (the emulator cannot throttle, so a proxy in front of it does).
    await runAuditOnce(world.deps, plenty);
    const ses = await sesProxy(inject('emulatorEndpoints').ses);
    ses.refuse = () => THROTTLED;
    const throttled = new SesMailer({ client: sesClient({ endpoint: ses.url }), fromAddress: 'gifts@notices.example.com', configurationSetName: 'cs' });
    let calls = 0;
    const sender = world.senderWith({ mailer: { send: async (email) => (++calls <= 2 ? throttled.send(email) : world.sender.mailer.send(email)) } });

    // Act
    const drained = await world.drain(sender, { concurrency: 1 });

    // Assess: put back (breaker), then all three sent once, nothing uncertain.
    expect(count(drained.results, SendResult.DEFERRED_BREAKER)).toBeGreaterThanOrEqual(1);
    expect(count(drained.results, SendResult.SENT)).toBe(3);
    expect(await world.deps.campaigns.claimCounts(incidentId)).toEqual({ SENT: 3 });
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailTo(local), local).toHaveLength(1);
    expect(ses.refused()).toBeGreaterThanOrEqual(2);
    await ses.close();
  }, 60_000);

  it('never mails anyone twice when the sender dies after SES took an apology: its claim becomes UNCERTAIN on redelivery', async () => {
    // Prepare: SES takes zoe's apology and the invocation dies before it settles.
    await runAuditOnce(world.deps, plenty);
    const zoe = addressHash(world.address('zoe'));
    const dying = world.senderWith({
      mailer: {
        send: async (email) => {
          const id = await world.sender.mailer.send(email);
          if (email.to === world.address('zoe')) throw new Error('Runtime exited: the function was killed');
          return id;
        },
      },
    });

    // Act: the record comes back after the visibility timeout, once the claim is stale.
    const drained = await world.drain(dying, { maxMs: 30_000 });
    const status = await campaignStatus(incidentId, world.deps);

    // Assess
    expect(drained.retried).toBeGreaterThanOrEqual(1);
    expect(count(drained.results, SendResult.SENDER_DIED)).toBe(1);
    expect(await mailTo('zoe')).toHaveLength(1);
    expect(await world.deps.campaigns.claimOf(incidentId, zoe)).toMatchObject({ state: 'UNCERTAIN' });
    expect(status.progress).toMatchObject({ state: 'COMPLETE', claims: { SENT: 2, UNCERTAIN: 1 } });
  }, 60_000);
});
