import { GetAccountCommand, SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KmsMacKey } from '../../../lambdas/adapters/kms-mac-key';
import { SesMailer } from '../../../lambdas/adapters/ses-mailer';
import { addressHash } from '../../../lambdas/domain/address-hash';
import { readUnsubscribeToken } from '../../../lambdas/domain/unsubscribe/unsubscribe-token';
import { approveCampaign } from '../../../lambdas/audit/approve-campaign';
import { dryRunCampaign } from '../../../lambdas/audit/dry-run-campaign';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { CURSOR_SAVE_EVERY } from '../../../lambdas/audit/send-apologies';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';
import { EXPECTED_APOLOGIES, NO_APOLOGY, seedIncident } from './seed-incident';
import { kms } from '../../../lambdas/commons/clients/kms';

const plenty = (): number => 60_000;

describe('apology campaign against DynamoDB Local and the SES emulator', () => {
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

  it('dry run reports counts by reason and a masked sample, and sends nothing', async () => {
    // Act
    const report = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });

    // Assess
    expect(report.summary).toMatchObject({
      toApologise: 3,
      toApologiseByReason: { NOT_THE_OWNER: 1, NOT_A_PARTICIPANT: 1, REGISTRY_CLOSED: 1 },
      skipped: { RIGHTLY_NOTIFIED: 1, OPTED_OUT: 1, SUPPRESSED: 1 },
      // dora, a customer with no registry, is NOT_A_PARTICIPANT (byOwner); bob owns another registry.
      wrongNotices: { NOT_THE_OWNER: 1, NOT_A_PARTICIPANT: 4, REGISTRY_CLOSED: 1, DUPLICATE: 1 },
    });
    expect(report.state).toBe('AWAITING_APPROVAL');
    expect(report.sample.map((s) => s.address).sort()).toEqual([`b***@${world.domain}`, `c***@${world.domain}`, `z***@${world.domain}`]);
    expect(await allMail()).toHaveLength(0);
  });

  it('waits for approval, then sends exactly the planned apologies, each once, in each language', async () => {
    // Prepare
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });
    const deps = world.with({ settings: { approvalThreshold: 2 } });

    // Act
    const beforeApproval = await runAuditOnce(deps, plenty);
    await approveCampaign(incidentId, { approvedBy: 'ops', plannedAt: dry.plannedAt }, { ...deps, approvalThreshold: 2 }, new Date());
    const first = await runAuditOnce(deps, plenty);
    const second = await runAuditOnce(deps, plenty);

    // Assess
    expect(beforeApproval.campaigns).toEqual([]);
    expect(first.campaigns[0]).toMatchObject({ sent: 3, failed: 0, uncertain: 0, complete: true });
    expect(first.campaigns[0]?.sent).toBe(dry.summary.toApologise);
    expect(second.campaigns).toEqual([]);
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
  });

  it('sends a campaign within the approval threshold without waiting', async () => {
    // Act
    const run = await runAuditOnce(world.deps, plenty);

    // Assess
    expect(run.campaignsPlanned).toEqual([{ incidentId, state: 'APPROVED', toApologise: 3 }]);
    expect(run.campaigns[0]).toMatchObject({ sent: 3, complete: true });
  });

  it('skips who unsubscribed from all mail, before planning or after, and gives every apology a signed one-click link from all mail', async () => {
    // Prepare: zoe unsubscribed before the plan, carl between the plan and the send.
    await world.unsubscribeFromAll('zoe');
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 2 });
    await approveCampaign(incidentId, { approvedBy: 'ops', plannedAt: dry.plannedAt }, { ...world.deps, approvalThreshold: 2 }, new Date());
    await world.unsubscribeFromAll('carl');

    // Act
    const run = await runAuditOnce(world.with({ settings: { approvalThreshold: 2 } }), plenty);

    // Assess
    expect(dry.summary).toMatchObject({ toApologise: 2, skipped: { OPTED_OUT: 2 } });
    expect(run.campaigns[0]).toMatchObject({ sent: 1, complete: true });
    expect((await allMail()).map((m) => m.to[0])).toEqual([world.address('bob')]);
    const [bob] = await mailTo('bob');
    const header = bob!.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    expect(bob!.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const link = /^<(https:\/\/unsubscribe\.example\/\?token=[^>]+)>$/.exec(header)?.[1];
    expect(bob!.text).toContain(link);
    const reading = await readUnsubscribeToken(new URL(link!).searchParams.get('token')!, new KmsMacKey(kms, world.env.UNSUBSCRIBE_KEY_ARN!).verify, new Date());
    expect(reading).toMatchObject({ ok: true, claims: { addressHash: addressHash(world.address('bob')), scope: { kind: 'ALL' }, locale: 'de' } });
  });

  it('keeps to the per-run cap and resumes on the next run', async () => {
    // Prepare
    const deps = world.with({ settings: { maxApologiesPerRun: 2 } });

    // Act
    const first = await runAuditOnce(deps, plenty);
    const second = await runAuditOnce(deps, plenty);

    // Assess
    expect(first.campaigns[0]).toMatchObject({ sent: 2, stopped: 'CAP', complete: false });
    expect(second.campaigns[0]).toMatchObject({ sent: 1, complete: true });
    expect(await allMail()).toHaveLength(3);
  });

  it('stops before the time limit and resumes on the next run', async () => {
    // Prepare: the clock of the function runs out after one apology.
    let remaining = 3_000;
    const deps = world.with({ settings: { safetyMarginMs: 1_000 } });
    const sendOne = world.with({
      mailer: {
        send: async (email) => {
          remaining = 500;
          return deps.mailer.send(email);
        },
      },
    });

    // Act
    const first = await runAuditOnce(sendOne, () => remaining);
    const second = await runAuditOnce(deps, plenty);

    // Assess
    expect(first.campaigns[0]).toMatchObject({ sent: 1, stopped: 'TIME' });
    expect(second.campaigns[0]).toMatchObject({ sent: 2, complete: true });
    expect(await allMail()).toHaveLength(3);
  });

  it('never mails anyone twice when the function dies mid-campaign and the next run resumes', async () => {
    // Prepare: after two apologies, SES takes the third and the function dies before the ledger hears of it.
    let sends = 0;
    const dying = world.with({
      mailer: {
        send: async (email) => {
          const id = await world.deps.mailer.send(email);
          sends += 1;
          if (sends === 2) throw new Error('Runtime exited: the function was killed');
          return id;
        },
      },
    });
    const later = (): Date => new Date(Date.now() + world.deps.settings.leaseMs + 1_000);

    // Act
    await expect(runAuditOnce(dying, plenty)).rejects.toThrow('killed');
    const resumed = await runAuditOnce(world.with({ now: later }), plenty);
    const again = await runAuditOnce(world.with({ now: later }), plenty);

    // Assess: the address in doubt is not written to again; everyone got at most one.
    expect(resumed.campaigns[0]).toMatchObject({ sent: 1, taken: 2, complete: true });
    expect(again.campaigns).toEqual([]);
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailTo(local), local).toHaveLength(1);
    const counts = await world.deps.campaigns.claimCounts(incidentId);
    expect(counts).toEqual({ SENT: 2, SENDING: 1 });
  });

  it('marks an apology of unknown outcome UNCERTAIN and never re-sends it', async () => {
    // Prepare
    const { MailOutcomeUnknownError } = await import('../../../lambdas/commons/errors');
    let sends = 0;
    const flaky = world.with({
      mailer: {
        send: async (email) => {
          sends += 1;
          const id = await world.deps.mailer.send(email);
          if (sends === 1) throw new MailOutcomeUnknownError('socket hang up');
          return id;
        },
      },
    });

    // Act
    const first = await runAuditOnce(flaky, plenty);
    const second = await runAuditOnce(world.deps, plenty);

    // Assess
    expect(first.campaigns[0]).toMatchObject({ sent: 2, uncertain: 1, complete: true });
    expect(second.campaigns).toEqual([]);
    expect(await allMail()).toHaveLength(3);
  });

  it('sends each apology once when two runs overlap', async () => {
    // Act
    const [a, b] = await Promise.all([runAuditOnce(world.deps, plenty), runAuditOnce(world.deps, plenty)]);

    // Assess
    expect([a.lease, b.lease].sort()).toEqual(['ACQUIRED', 'HELD']);
    expect(await allMail()).toHaveLength(3);
  });

  it('sends each apology once when overlapping runs both get past the lease (claims alone)', async () => {
    // Prepare: a lease that always says yes, as if one run's lease had expired under it.
    await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 100 });
    const noLease = world.with({ lease: { acquire: async () => true, release: async () => undefined } });

    // Act
    const runs = await Promise.all([runAuditOnce(noLease, plenty), runAuditOnce(noLease, plenty), runAuditOnce(noLease, plenty)]);

    // Assess
    const sent = runs.reduce((n, r) => n + (r.campaigns[0]?.sent ?? 0), 0);
    expect(sent).toBe(3);
    for (const local of Object.keys(EXPECTED_APOLOGIES)) expect(await mailTo(local), local).toHaveLength(1);
  });

  it('gives the address back when SES throttles, and sends it on the next run', async () => {
    // Prepare: SES answers 429 on the first send (the emulator cannot, so a client mock does).
    const throttled = new SESv2Client({ region: 'us-east-1' });
    const ses = mockClient(throttled);
    ses.on(GetAccountCommand).resolves({ SendQuota: { MaxSendRate: 14 } });
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } }));
    const mailer = new SesMailer({ client: throttled, fromAddress: 'gifts@notices.example.com', configurationSetName: 'cs' });

    // Act
    const first = await runAuditOnce(world.with({ mailer }), plenty);
    const second = await runAuditOnce(world.deps, plenty);

    // Assess
    expect(first.campaigns[0]).toMatchObject({ sent: 0, stopped: 'THROTTLED' });
    expect(second.campaigns[0]).toMatchObject({ sent: 3, complete: true });
    expect(await allMail()).toHaveLength(3);
    ses.restore();
  });

  it('audits and plans but sends nothing while the kill switch is on', async () => {
    // Act
    const paused = await runAuditOnce(world.with({ killSwitch: { isPaused: async () => true } }), plenty);
    const resumed = await runAuditOnce(world.deps, plenty);

    // Assess
    expect(paused).toMatchObject({ sendingPaused: true, campaigns: [] });
    expect(paused.campaignsPlanned).toHaveLength(1);
    expect(resumed.campaigns[0]).toMatchObject({ sent: 3, complete: true });
  });

  it('resumes after a crash from its saved cursor, re-walking only the last few recipients', async () => {
    // Prepare: a larger incident (3 + 22 apologies); the function dies after 15 sends.
    const big = await createAuditWorld(clients);
    const bigIncident = await seedIncident(big, 22);
    let sends = 0;
    const dying = big.with({
      mailer: {
        send: async (email) => {
          const id = await big.deps.mailer.send(email);
          if (++sends === 15) throw new Error('Runtime exited: the function was killed');
          return id;
        },
      },
    });
    const later = big.with({ now: () => new Date(Date.now() + big.deps.settings.leaseMs + 1_000) });

    // Act
    await expect(runAuditOnce(dying, plenty)).rejects.toThrow('killed');
    const resumed = await runAuditOnce(later, plenty);

    // Assess
    expect(resumed.campaigns[0]).toMatchObject({ sent: 10, complete: true });
    expect(resumed.campaigns[0]!.taken).toBeLessThanOrEqual(CURSOR_SAVE_EVERY);
    const mail = (await mailbox.list()).filter((e) => e.to.some((a) => a.endsWith(big.domain)));
    expect(mail).toHaveLength(25);
    expect(new Set(mail.map((e) => e.to[0])).size).toBe(25);
    expect(await big.deps.campaigns.claimCounts(bigIncident)).toEqual({ SENT: 24, SENDING: 1 });
  });
});
