import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { AuditKeys } from '../../../lambdas/audit/audit-table/keys';
import { MAX_LISTED_WRONG_NOTICES } from '../../../lambdas/audit/audit-table/campaigns';
import { correctionsIncidentId } from '../../../lambdas/audit/incident';
import { approveCampaign } from '../../../lambdas/audit/campaign/approve-campaign';
import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { planCampaign } from '../../../lambdas/audit/campaign/plan-campaign';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { CampaignState } from '../../../lambdas/audit/ports/campaigns';
import { campaignDryRunCommand } from '../../../lambdas/operator/commands/campaign';
import type { OperatorDeps } from '../../../lambdas/operator/operator-deps';
import type { OperatorContext } from '../../../lambdas/operator/operator-command';
import { customerUpsertedFactory, itemsAddedFactory, registryUpsertedFactory } from '../../helpers/factories';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { writeTestStackState } from '../../support/local-stack-state';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';

const JAN = '2026-01-05T00:00:00.000Z';
const MAR_1 = '2026-03-01T00:00:00.000Z';
const NOTICE_AT = '2026-03-10T10:00:00.000Z';
const plenty = (): number => 60_000;
/** A second person: not the declarer of any incident here. */
const BOB = 'arn:aws:iam::000000000000:user/bob';

/**
 * Issue 18, "One apology per notice, across incidents": a notice apologised for in one
 * incident's campaign (or held by its plan) is not apologised for again by another, whichever
 * plans first or whether they plan at once; the plan says how many it skipped and why.
 */
describe('one apology per notice, across incidents (DynamoDB Local, SES emulator)', () => {
  let clients: AwsClients;
  const mailbox = new Mailbox();

  beforeAll(() => {
    clients = createAwsClients();
  });
  afterAll(() => clients.destroy());

  /**
   * `local`'s registry, kept a surprise since January, and a notice about a purchase from it
   * mailed to its owner in March: wrong (`NOTIFICATIONS_OFF`), in the history and the tables.
   */
  async function surpriseSpoilt(world: AuditWorld, local: string): Promise<{ registryId: string; customerId: string; noticeId: string }> {
    const registryId = `reg-${local}`;
    const customerId = `cus-${local}`;
    await world.recordHistory(
      [
        registryUpsertedFactory({ registryId, ownerCustomerId: customerId, purchaseNotifications: false, effectiveAt: JAN }),
        itemsAddedFactory({ registryId, items: [{ itemId: 'item-1', title: 'Cot' }], effectiveAt: JAN }),
        customerUpsertedFactory({ customerId, email: world.address(local), effectiveAt: JAN }),
      ],
      JAN,
    );
    await world.putRegistry(registryId, customerId, 'ACTIVE', false);
    await world.putCustomer(customerId, local);
    const noticeId = `evt#${local}-1`;
    await world.putNotice(noticeId, {
      eventId: `${local}-1`,
      purchaseId: `pur-${local}`,
      registryId,
      itemId: 'item-1',
      recipientCustomerId: customerId,
      recipientAddress: world.address(local),
      recipientAddressHash: addressHash(world.address(local)),
      decidedAt: NOTICE_AT,
      sentAt: NOTICE_AT,
    });
    return { registryId, customerId, noticeId };
  }

  // The incidents' window: the days around the notice. An audit reads every day of its window (33
  // partitions a day), so all of March was 1,023 queries of DynamoDB Local per audit for the same
  // notices: 6,300 of this file's 7,000 requests (2026-12-08).
  const march = { windowStart: '2026-03-08T00:00:00.000Z', windowEnd: '2026-03-13T00:00:00.000Z' };
  const markerOf = async (world: AuditWorld, noticeId: string) =>
    (await clients.documentClient.send(new GetCommand({ TableName: world.tables.audit, Key: AuditKeys.apologisedNotice(noticeId), ConsistentRead: true }))).Item;

  /** The CLI's `campaign dry-run`, against the real operator command over this world (the function URL's signing and IAM left out). */
  async function cliDryRun(world: AuditWorld, incidentId: string): Promise<string[]> {
    const context = { deps: { run: world.deps } as unknown as OperatorDeps, remainingMs: () => 60_000 } as unknown as OperatorContext;
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { command, ...args } = JSON.parse(body) as { command: string; incidentId: string; plan?: string; maxSeconds?: number };
        campaignDryRunCommand
          .run(args, context)
          .then((result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ command, result })))
          .catch((error: Error) => response.writeHead(500).end(JSON.stringify({ error: { code: 'TEST', message: error.message } })));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const state = writeTestStackState({ OperatorEndpointUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
      const lines: string[] = [];
      const code = await main(['campaign', 'dry-run', incidentId, '--state', state], (l) => lines.push(l), { out: { isTTY: false, write: () => true } });
      expect(code, lines.join('\n')).toBe(0);
      return lines;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('gives a person apologised to in incident A no second apology when a correction later shows the same notice wrong, and the corrections incident says why', async () => {
    // Prepare: incident A (March) finds five's notice wrong; its campaign apologises, once.
    const world = await createAuditWorld(clients);
    const runAt = (ms: number) => world.with({ now: () => new Date(ms) });
    const five = await surpriseSpoilt(world, 'five');
    const a = await declareIncident({ description: 'March surprises spoilt', ...march }, world.deps.incidents, new Date());
    const planA = await dryRunCampaign(a.incidentId, world.deps, { approvalThreshold: 100 });
    if (planA.state === CampaignState.AWAITING_APPROVAL) {
      await approveCampaign(a.incidentId, { approvedBy: BOB, plannedAt: planA.plannedAt }, { ...world.deps, approvalThreshold: 100 }, new Date());
    }
    await runAuditOnce(runAt(Date.now() - 10 * 60_000), plenty);
    await world.drain();
    expect(planA.summary).toMatchObject({ toApologise: 1, toApologiseByReason: { NOTIFICATIONS_OFF: 1 } });
    expect(await mailbox.to(world.address('five'))).toHaveLength(1);
    expect(await markerOf(world, five.noticeId)).toMatchObject({ incidentId: a.incidentId, addressHash: addressHash(world.address('five')) });

    // Then the shop corrects the past: since 1 March the registry was really seven's, so five owned none then.
    await world.recordHistory([customerUpsertedFactory({ customerId: 'cus-seven', email: world.address('seven'), effectiveAt: JAN })], JAN);
    const correctedAt = new Date().toISOString();
    await world.recordCorrection(
      registryUpsertedFactory({ registryId: five.registryId, ownerCustomerId: 'cus-seven', purchaseNotifications: false, version: 2, effectiveAt: MAR_1 }),
      correctedAt,
      registryUpsertedFactory({ registryId: five.registryId, ownerCustomerId: five.customerId, purchaseNotifications: false, effectiveAt: JAN }),
    );
    await world.putRegistry(five.registryId, 'cus-seven', 'ACTIVE', false);

    // Act: the next run judges the notice again (wrong, for another reason), files it in the day's corrections incident and plans that.
    const run = await runAuditOnce(runAt(Date.now() + 2 * 60_000), plenty);
    const corrections = correctionsIncidentId(correctedAt);
    const lines = await cliDryRun(world, corrections);
    const plan = await dryRunCampaign(corrections, world.deps, { approvalThreshold: 100 });
    if (plan.state === CampaignState.AWAITING_APPROVAL) {
      await approveCampaign(corrections, { approvedBy: BOB, plannedAt: plan.plannedAt }, { ...world.deps, approvalThreshold: 100 }, new Date());
    }
    await runAuditOnce(world.deps, plenty);
    await world.drain();

    // Assess: the corrections incident holds the notice, wrong again, and skips its address because A apologised for it.
    expect(run.correctionAudit).toMatchObject({ corrections: 1, rows: 1, wrongByReason: { NOT_A_PARTICIPANT: 1 } });
    expect(run.campaignsPlanned).toContainEqual(expect.objectContaining({ incidentId: corrections, toApologise: 0, alreadyApologised: 1, finishedNow: true }));
    expect(plan.summary).toMatchObject({
      wrongNotices: { NOT_A_PARTICIPANT: 1 },
      toApologise: 0,
      skipped: { ALREADY_APOLOGISED: 1 },
      alreadyApologisedIn: { [a.incidentId]: 1 },
    });
    const recipients = await world.deps.campaigns.recipients(corrections, undefined, 10);
    expect(recipients.recipients).toEqual([expect.objectContaining({ addressHash: addressHash(world.address('five')), decision: 'SKIP', skip: 'ALREADY_APOLOGISED' })]);
    expect(lines).toContain('  would not write to: ALREADY_APOLOGISED 1');
    expect(lines).toContain(`  notices already apologised for in another incident: ${a.incidentId} 1`);
    // The one apology five got is A's; the marker still names A.
    expect(await mailbox.to(world.address('five'))).toHaveLength(1);
    expect(await markerOf(world, five.noticeId)).toMatchObject({ incidentId: a.incidentId });
  }, 120_000);

  it('lets an operator’s incident keep a notice the same run also files in the day’s corrections incident', async () => {
    // Prepare: nine's spoilt surprise, audited; an operator declares March an incident; then a correction judges the notice wrong again.
    const world = await createAuditWorld(clients);
    const runAt = (ms: number) => world.with({ now: () => new Date(ms) });
    const nine = await surpriseSpoilt(world, 'nine');
    await world.recordHistory([customerUpsertedFactory({ customerId: 'cus-ten', email: world.address('ten'), effectiveAt: JAN })], JAN);
    await runAuditOnce(runAt(Date.now() - 10 * 60_000), plenty);
    const a = await declareIncident({ description: 'March, by an operator', ...march }, world.deps.incidents, new Date());
    const correctedAt = new Date().toISOString();
    await world.recordCorrection(
      registryUpsertedFactory({ registryId: nine.registryId, ownerCustomerId: 'cus-ten', purchaseNotifications: false, version: 2, effectiveAt: MAR_1 }),
      correctedAt,
      registryUpsertedFactory({ registryId: nine.registryId, ownerCustomerId: nine.customerId, purchaseNotifications: false, effectiveAt: JAN }),
    );

    // Act: one run sweeps both (the corrections incident's id sorts first) and plans them.
    const run = await runAuditOnce(runAt(Date.now() + 2 * 60_000), plenty);

    // Assess
    const corrections = correctionsIncidentId(correctedAt);
    expect(run.campaignsPlanned).toContainEqual(expect.objectContaining({ incidentId: a.incidentId, toApologise: 1 }));
    expect(run.campaignsPlanned).toContainEqual(expect.objectContaining({ incidentId: corrections, toApologise: 0, alreadyApologised: 1 }));
    expect(await markerOf(world, nine.noticeId)).toMatchObject({ incidentId: a.incidentId });
  }, 120_000);

  it('leaves a notice to exactly one of two incidents planning at once, and the other says it was apologised for there', async () => {
    // Prepare: two operators declare overlapping incidents over the same spoilt surprise.
    const world = await createAuditWorld(clients);
    const six = await surpriseSpoilt(world, 'six');
    const first = await declareIncident({ description: 'March', ...march }, world.deps.incidents, new Date());
    const second = await declareIncident({ description: 'March 10', windowStart: '2026-03-10T00:00:00.000Z', windowEnd: '2026-03-11T00:00:00.000Z' }, world.deps.incidents, new Date());
    // The second's read of the markers is made before the first claims (the race's worst order): only its conditional claim can tell.
    const real = world.deps.apologisedNotices;
    const racing = world.with({ apologisedNotices: { holders: async () => new Map<string, string>(), claim: real.claim.bind(real), release: real.release.bind(real) } });

    // Act: both at once, then the late reader after the first has claimed.
    const [a, b] = await Promise.all([
      dryRunCampaign(first.incidentId, world.deps, { approvalThreshold: 100 }),
      dryRunCampaign(second.incidentId, world.deps, { approvalThreshold: 100 }),
    ]);
    const holder = (await markerOf(world, six.noticeId))?.incidentId as string;
    const loser = holder === first.incidentId ? second.incidentId : first.incidentId;
    const again = await planCampaign(loser, racing, { approvalThreshold: 100, hasTime: () => true, restart: true });

    // Assess: one of them apologises, the other skips; the late reader lost its claim and says to whom.
    const plans = [a, b].map((p) => p.summary);
    expect(plans.map((s) => s.toApologise).sort()).toEqual([0, 1]);
    expect(plans.find((s) => s.toApologise === 0)).toMatchObject({ skipped: { ALREADY_APOLOGISED: 1 }, alreadyApologisedIn: { [holder]: 1 } });
    expect([first.incidentId, second.incidentId]).toContain(holder);
    expect(again.summary).toMatchObject({ toApologise: 0, skipped: { ALREADY_APOLOGISED: 1 }, alreadyApologisedIn: { [holder]: 1 } });
    expect(await markerOf(world, six.noticeId)).toMatchObject({ incidentId: holder });
  }, 120_000);

  it('gives a notice back when a new plan of its incident no longer apologises for it, so a later incident may', async () => {
    // Prepare: A plans an apology to eight and is not approved; then eight's address bounces and A is planned again.
    const world = await createAuditWorld(clients, { approvalThreshold: 0 });
    const eight = await surpriseSpoilt(world, 'eight');
    const a = await declareIncident({ description: 'March', ...march }, world.deps.incidents, new Date());
    const first = await dryRunCampaign(a.incidentId, world.deps, { approvalThreshold: 0 });
    const heldAfterFirst = await markerOf(world, eight.noticeId);
    await world.suppress('eight');

    // Act
    const second = await dryRunCampaign(a.incidentId, world.deps, { approvalThreshold: 0 });
    const b = await declareIncident({ description: 'March again', ...march }, world.deps.incidents, new Date());
    const planB = await dryRunCampaign(b.incidentId, world.deps, { approvalThreshold: 0 });

    // Assess
    expect(first.summary).toMatchObject({ toApologise: 1 });
    expect(heldAfterFirst).toMatchObject({ incidentId: a.incidentId });
    expect(second.summary).toMatchObject({ toApologise: 0, skipped: { SUPPRESSED: 1 } });
    expect(second.summary.alreadyApologisedIn).toBeUndefined();
    // B finds the notice free (and the address suppressed, so it skips it for that reason, not as apologised for).
    expect(planB.summary).toMatchObject({ toApologise: 0, skipped: { SUPPRESSED: 1 } });
    expect(planB.summary.alreadyApologisedIn).toBeUndefined();
    expect(await markerOf(world, eight.noticeId)).toBeUndefined();
  }, 120_000);

  it('keeps each address’s wrong notices over pages, complete when a page brings none, and says when the list reached its cap', async () => {
    // Prepare: folds as planning writes them, page after page, for two addresses.
    const world = await createAuditWorld(clients);
    const campaigns = world.deps.campaigns;
    const plannedAt = new Date().toISOString();
    const fold = (addressHash: string, ids: readonly string[]) => ({
      addressHash,
      reasons: ids.length > 0 ? (['NOT_THE_OWNER'] as const) : [],
      rightlyNotified: false,
      firstNoticeId: ids[0] ?? `${addressHash}-dup`,
      wrongNotices: ids.map((noticeId) => ({ noticeId, reason: 'NOT_THE_OWNER' as const })),
      wrongNoticesComplete: true,
    });
    const many = (page: number) => Array.from({ length: 100 }, (_, i) => `imp#legacy-crm#many-${page}-${i}`);

    // Act: "few" has a wrong notice on page 0 and only a duplicate on page 1; "many" 100 wrong notices on each of 11 pages.
    await campaigns.foldAddresses('inc-lists', plannedAt, 0, [fold('few', ['evt#few-1']), fold('many', many(0))]);
    await campaigns.foldAddresses('inc-lists', plannedAt, 1, [fold('few', [])]);
    for (let page = 1; page <= 10; page += 1) await campaigns.foldAddresses('inc-lists', plannedAt, page, [fold('many', many(page))]);
    const { addresses } = await campaigns.addresses('inc-lists', undefined, 10);
    const of = (hash: string) => addresses.find((a) => a.addressHash === hash)!;

    // Assess
    expect(of('few')).toMatchObject({ wrongNotices: [{ noticeId: 'evt#few-1', reason: 'NOT_THE_OWNER' }], wrongNoticesComplete: true });
    expect(of('many').wrongNoticesComplete).toBe(false);
    expect(of('many').wrongNotices.length).toBeGreaterThanOrEqual(MAX_LISTED_WRONG_NOTICES);
    expect(of('many').wrongNotices.length).toBeLessThanOrEqual(MAX_LISTED_WRONG_NOTICES + 100);
  }, 120_000);
});
