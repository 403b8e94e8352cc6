import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryUpsertedFactory, customerUpsertedFactory, itemsAddedFactory } from '../helpers/factories';
import type { AwsClients } from '../support/aws-clients';
import { Mailbox } from '../support/mailbox';
import { startOperatorHarness, type OperatorCaller, type OperatorHarness } from '../support/operator-harness';
import { sendLogLine, type AuditWorld } from './audit/audit-world';
import { mailedByUs } from './audit/seed-incident';
import { localCallerOf } from '@registry-notices/local-stack';
import { addressHash } from '../../lambdas/directory/address-hash';
import { directoryApplyDeps } from '../../lambdas/directory/apply-deps-wiring';
import { directoryLineHandler } from '../../lambdas/directory/directory-lines';
import { correctionsIncidentId } from '../../lambdas/audit/incident';
import { runAuditOnce } from '../../lambdas/audit/run-once';
import { sendLogLineHandler } from '../../lambdas/imports/send-log/send-log-lines';

const ACCOUNT = '000000000000';
const plenty = (): number => 60_000;

/**
 * Each way round the two-person rule named in issue 16, through the operator function as its
 * URL invokes it (payload 2.0, the caller in `requestContext.authorizer.iam`), against DynamoDB
 * Local and the SES emulator: role sessions with self-chosen names, an incident split into
 * small campaigns, an import of strangers, a corrections campaign approved by its importer.
 */
describe('two-person rule at the operator endpoint', () => {
  let operator: OperatorHarness;
  let clients: AwsClients;
  let world: AuditWorld;
  const mailbox = new Mailbox();
  const call = (body: object, caller: OperatorCaller) => operator.call(body, caller);

  /** Imports `locals` as notices of `source` about ann's registry (so wrong for anyone but ann), declared by `by`; the dry run's answer. */
  async function incidentOf(source: string, locals: readonly string[], by: OperatorCaller) {
    const lines = locals.map((local, i) => sendLogLine({ source, sourceNoticeId: `${source}-${i}`, recipientAddress: world.address(local), registryId: 'reg-ann', purchaseId: `p-${source}-${i}` }));
    expect((await call({ command: 'import', lines }, 'importer')).body.result).toMatchObject({ accepted: locals.length });
    const declared = await call({ command: 'incident declare', id: `inc-${source}`, source, description: `${source} blast` }, by);
    expect(declared.status).toBe(200);
    return call({ command: 'campaign dry-run', incidentId: `inc-${source}` }, by);
  }

  beforeAll(async () => {
    // One apology a day per declarer approves itself; more need a second person.
    operator = await startOperatorHarness({ APOLOGY_APPROVAL_THRESHOLD: '1' });
    ({ clients, world } = operator);
  });

  afterAll(() => operator?.stop());

  it('refuses assumed-role/Ops/b approving what assumed-role/Ops/a declared, and any person approving it, naming the rule', async () => {
    // Prepare: two known people (customers, no registry: not participants) wrongly told.
    await world.putCustomer('cus-kai', 'kai');
    await world.putCustomer('cus-lea', 'lea');
    const dryRun = await incidentOf('ops-a', ['kai', 'lea'], { role: 'Ops', session: 'a' });

    // Act
    const byB = await call({ command: 'campaign approve', incidentId: 'inc-ops-a', plan: dryRun.body.result.plannedAt }, { role: 'Ops', session: 'b' });
    const byPerson = await call({ command: 'campaign approve', incidentId: 'inc-ops-a', plan: dryRun.body.result.plannedAt }, 'bob');
    const run = await call({ command: 'campaign run', incidentId: 'inc-ops-a', maxSeconds: 5 }, 'bob');

    // Assess
    expect(dryRun.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', summary: { toApologise: 2, approvalNeeded: ['ABOVE_THRESHOLD'] } });
    expect(byB.status).toBe(403);
    expect(byB.body.error).toMatchObject({ code: 'TWO_PERSON_RULE', issues: [{ field: 'caller', rule: expect.stringMatching(/^APPROVER_NOT_A_PERSON: the approver must be a person/) }] });
    expect(byPerson.status).toBe(403);
    expect(byPerson.body.error).toMatchObject({ code: 'TWO_PERSON_RULE', issues: [{ field: 'incident.declaredBy', rule: expect.stringMatching(/^DECLARER_NOT_A_PERSON: /) }] });
    expect(run).toMatchObject({ status: 409, body: { error: { code: 'AWAITING_APPROVAL' } } });
    expect(await mailbox.to(world.address('kai'))).toHaveLength(0);
  });

  it('counts the threshold per declarer and day across incidents: the second small campaign of the day waits for a second person', async () => {
    // Prepare
    for (const local of ['mia', 'noa', 'ole', 'pia']) await world.putCustomer(`cus-${local}`, local);

    // Act: carol splits one blast into two incidents of one apology each; so do two self-named sessions.
    const first = await incidentOf('split-1', ['mia'], 'carol');
    const second = await incidentOf('split-2', ['noa'], 'carol');
    const byCarol = await call({ command: 'campaign approve', incidentId: 'inc-split-2', plan: second.body.result.plannedAt }, 'carol');
    const byDave = await call({ command: 'campaign approve', incidentId: 'inc-split-2', plan: second.body.result.plannedAt }, 'dave');
    const nobodyFirst = await incidentOf('split-x', ['ole'], { role: 'Ops', session: 'x' });
    const nobodySecond = await incidentOf('split-y', ['pia'], { role: 'Ops', session: 'y' });

    // Assess
    expect(first.body.result).toMatchObject({ state: 'APPROVED', summary: { toApologise: 1 } });
    expect(second.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', summary: { toApologise: 1, approvalNeeded: ['DECLARER_DAILY_LIMIT'] } });
    expect(byCarol).toMatchObject({ status: 403, body: { error: { code: 'SAME_PRINCIPAL' } } });
    expect(byDave.body.result).toMatchObject({ outcome: 'APPROVED', approval: { approvedBy: `arn:aws:iam::${ACCOUNT}:user/dave`, approverPerson: `${ACCOUNT}/dave` } });
    // Sessions that name nobody share one allowance, whatever name they pick.
    expect(nobodyFirst.body.result).toMatchObject({ state: 'APPROVED' });
    expect(nobodySecond.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', summary: { approvalNeeded: ['DECLARER_DAILY_LIMIT'] } });
  });

  it('holds a campaign to strangers an import brought, however small, until a second person approves; known addresses go as before', async () => {
    // Prepare: quinn is a stranger (only the import names them); rosa got a notice of ours once.
    await mailedByUs(world, 'rosa');

    // Act
    const strangers = await incidentOf('strangers', ['quinn'], 'erin');
    const runEarly = await call({ command: 'campaign run', incidentId: 'inc-strangers', maxSeconds: 5 }, 'erin');
    const byErin = await call({ command: 'campaign approve', incidentId: 'inc-strangers', plan: strangers.body.result.plannedAt }, 'erin');
    const byFrank = await call({ command: 'campaign approve', incidentId: 'inc-strangers', plan: strangers.body.result.plannedAt }, 'frank');
    const known = await incidentOf('known', ['rosa'], 'gus');

    // Assess
    expect(strangers.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', approvalThreshold: 1, summary: { toApologise: 1, strangers: 1, approvalNeeded: ['STRANGERS'] } });
    expect(runEarly).toMatchObject({ status: 409, body: { error: { code: 'AWAITING_APPROVAL' } } });
    expect(await mailbox.to(world.address('quinn'))).toHaveLength(0);
    expect(byErin).toMatchObject({ status: 403, body: { error: { code: 'SAME_PRINCIPAL' } } });
    expect(byFrank.body.result).toMatchObject({ outcome: 'APPROVED' });
    expect(known.body.result).toMatchObject({ state: 'APPROVED', summary: { toApologise: 1 } });
    expect(known.body.result.summary.strangers).toBeUndefined();
  });

  it('refuses an approver who imported the strangers a colleague declared an incident for, through the endpoint or S3; another person may', async () => {
    // Prepare: ivy imports a stranger through the endpoint; liz uploads one in a send log to S3 (its line handler, as S3 names her).
    const liz = localCallerOf('liz');
    const viaS3 = sendLogLineHandler(world.imports, () => new Date(), { importedBy: `AWS:${liz.userId}` });
    const line = (source: string, local: string) => sendLogLine({ source, sourceNoticeId: `${source}-1`, recipientAddress: world.address(local), registryId: 'reg-ann', purchaseId: `p-${source}` });
    expect((await call({ command: 'import', lines: [line('ivy-log', 'uma')] }, 'ivy')).body.result).toMatchObject({ accepted: 1 });
    expect(await viaS3.handle(line('liz-log', 'vic'), 1)).toEqual({ kind: 'APPLIED' });
    const dryRuns = [];
    for (const source of ['ivy-log', 'liz-log']) {
      await call({ command: 'incident declare', id: `inc-${source}`, source, description: `${source} blast` }, 'jack');
      dryRuns.push(await call({ command: 'campaign dry-run', incidentId: `inc-${source}` }, 'jack'));
    }
    const [ivyPlan, lizPlan] = dryRuns.map((d) => d.body.result.plannedAt as string);

    // Act
    const byIvy = await call({ command: 'campaign approve', incidentId: 'inc-ivy-log', plan: ivyPlan }, 'ivy');
    const byLiz = await call({ command: 'campaign approve', incidentId: 'inc-liz-log', plan: lizPlan }, 'liz');
    const ivyStatus = await call({ command: 'campaign status', incidentId: 'inc-ivy-log' }, 'kim');
    const byKim = await call({ command: 'campaign approve', incidentId: 'inc-ivy-log', plan: ivyPlan }, 'kim');
    const byKimToo = await call({ command: 'campaign approve', incidentId: 'inc-liz-log', plan: lizPlan }, 'kim');

    // Assess
    for (const dryRun of dryRuns) expect(dryRun.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', summary: { strangers: 1, approvalNeeded: ['STRANGERS'] } });
    expect(ivyStatus.body.result.incident.rowsImportedBy).toEqual([`AWS:${localCallerOf('ivy').userId}`]);
    for (const refused of [byIvy, byLiz]) {
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'TWO_PERSON_RULE', issues: [{ field: 'caller', rule: expect.stringMatching(/^IMPORTED_THE_ROWS: /) }] });
    }
    expect(byKim.body.result).toMatchObject({ outcome: 'APPROVED', approval: { approverPerson: `${ACCOUNT}/kim` } });
    expect(byKimToo.body.result).toMatchObject({ outcome: 'APPROVED' });
    expect(await mailbox.to(world.address('uma'))).toHaveLength(0);
  });

  it('refuses a corrections campaign approved by who uploaded the snapshot its correction came from, and lets another person', async () => {
    // Prepare: sam owned reg-sam since January and was told of a purchase in March.
    const JAN = '2026-01-05T00:00:00.000Z';
    await world.recordHistory(
      [
        registryUpsertedFactory({ registryId: 'reg-sam', ownerCustomerId: 'cus-sam', effectiveAt: JAN }),
        itemsAddedFactory({ registryId: 'reg-sam', items: [{ itemId: 'item-1', title: 'Cot' }], effectiveAt: JAN }),
        customerUpsertedFactory({ customerId: 'cus-sam', email: world.address('sam'), effectiveAt: JAN }),
        customerUpsertedFactory({ customerId: 'cus-tia', email: world.address('tia'), effectiveAt: JAN }),
      ],
      JAN,
    );
    await world.putRegistry('reg-sam', 'cus-sam');
    await world.putCustomer('cus-sam', 'sam');
    await world.putNotice('evt#sam-1', {
      eventId: 'sam-1',
      purchaseId: 'pur-sam',
      registryId: 'reg-sam',
      itemId: 'item-1',
      recipientCustomerId: 'cus-sam',
      recipientAddress: world.address('sam'),
      recipientAddressHash: addressHash(world.address('sam')),
      decidedAt: '2026-03-10T10:00:00.000Z',
      sentAt: '2026-03-10T10:00:00.000Z',
    });
    await runAuditOnce(world.with({ now: () => new Date(Date.now() - 10 * 60_000) }), plenty);
    // grace uploads a snapshot saying tia owned it since 1 March: the import's line handler, as S3 names her.
    const grace = localCallerOf('grace');
    const snapshot = directoryLineHandler({ ...directoryApplyDeps(clients.documentClient, world.tables), appliedBy: `AWS:${grace.userId}` });
    const line = registryUpsertedFactory({ registryId: 'reg-sam', ownerCustomerId: 'cus-tia', version: 2, effectiveAt: '2026-03-01T00:00:00.000Z' });
    expect(await snapshot.handle(JSON.stringify(line), 1)).toEqual({ kind: 'APPLIED' });
    const incidentId = correctionsIncidentId(new Date().toISOString());
    await runAuditOnce(world.with({ now: () => new Date(Date.now() + 2 * 60_000) }), plenty);

    // Act
    const status = await call({ command: 'campaign status', incidentId }, 'henry');
    const dryRun = await call({ command: 'campaign dry-run', incidentId }, 'henry');
    const byGrace = await call({ command: 'campaign approve', incidentId, plan: dryRun.body.result.plannedAt }, 'grace');
    const byHenry = await call({ command: 'campaign approve', incidentId, plan: dryRun.body.result.plannedAt }, 'henry');

    // Assess
    expect(status.body.result.incident).toMatchObject({ origin: 'CORRECTIONS', correctionsAppliedBy: [`AWS:${grace.userId}`] });
    expect(dryRun.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', summary: { toApologise: 1, approvalNeeded: ['CORRECTIONS'] } });
    expect(byGrace.status).toBe(403);
    expect(byGrace.body.error).toMatchObject({ code: 'TWO_PERSON_RULE', issues: [{ field: 'caller', rule: expect.stringMatching(/^APPLIED_THE_IMPORT: /) }] });
    expect(byHenry.body.result).toMatchObject({ outcome: 'APPROVED', approval: { approverPerson: `${ACCOUNT}/henry` } });
  });
});
