import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AwsClients } from '../support/aws-clients';
import { Mailbox } from '../support/mailbox';
import { startOperatorHarness, type OperatorHarness } from '../support/operator-harness';
import { sendLogLine, type AuditWorld } from './audit/audit-world';
import { DynamoDbRevealRecords } from '../../lambdas/operator/notices/reveal-records';

/**
 * The operator function as its function URL invokes it: payload-2.0 events whose caller is in
 * `requestContext.authorizer.iam`, against DynamoDB Local and the SES emulator.
 */
describe('operator handler (Middy, request validation, Powertools) behind its function URL', () => {
  let operator: OperatorHarness;
  let clients: AwsClients;
  let world: AuditWorld;
  const mailbox = new Mailbox();
  /** Calls the handler as `accessKey`'s signed request would reach it (null: no IAM caller); the answer's status and JSON body. */
  const call = (body: object | string, accessKey: string | null = 'alice') => operator.call(body, accessKey);

  beforeAll(async () => {
    operator = await startOperatorHarness({
      // Two apologies need a second person: the threshold is 1.
      APOLOGY_APPROVAL_THRESHOLD: '1',
      // Revealing is a permission of its own: bob may, alice may not.
      OPERATOR_REVEALER_ROLES: 'user/bob',
    });
    ({ clients, world } = operator);
  });

  afterAll(() => operator?.stop());

  it('refuses a bad request with 400 and every field and rule, doing nothing', async () => {
    // Act
    const unknownCommand = await call({ command: 'campaign delete', incidentId: 'inc-x' });
    const badFields = await call({ command: 'campaign run', incidentId: 'INC X', maxSeconds: 0, by: 'me' });
    const missing = await call({ command: 'campaign status' });
    const notJson = await call('{"command":');

    // Assess
    expect(unknownCommand.status).toBe(400);
    expect(unknownCommand.body.error.code).toBe('INVALID_REQUEST');
    expect(unknownCommand.body.error.issues[0]).toMatchObject({ field: 'command', rule: expect.stringContaining('must be one of: import, incident declare') });
    expect(badFields.status).toBe(400);
    expect(badFields.body.error.issues).toEqual(
      expect.arrayContaining([
        { field: 'incidentId', rule: 'must be 3-64 characters of a-z 0-9 -, starting with a letter or digit' },
        { field: 'maxSeconds', rule: 'must be at least 1' },
        { field: '[unknown field]', rule: 'is not a field of "campaign run"' },
      ]),
    );
    expect(missing.body.error.issues).toEqual([{ field: 'incidentId', rule: 'is required' }]);
    expect(notJson.body.error.issues).toEqual([{ field: '(body)', rule: 'must be valid JSON' }]);
  });

  it('refuses a request without an IAM caller with 403', async () => {
    // Act
    const answer = await call({ command: 'incident list' }, null);

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('NO_CALLER_IDENTITY');
  });

  it('records the declarer, keeps the declarer from approving a campaign above the threshold, and lets a second person', async () => {
    // Prepare
    const page = [
      sendLogLine({ sourceNoticeId: 'o-1', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-1' }),
      sendLogLine({ sourceNoticeId: 'o-2', recipientAddress: world.address('zoe'), registryId: 'reg-gone', purchaseId: 'p-2' }),
      sendLogLine({ sourceNoticeId: 'o-3', recipientAddress: world.address('yves'), registryId: 'reg-gone', purchaseId: 'p-3' }),
    ];

    // Act
    const imported = await call({ command: 'import', lines: page, firstLine: 1 });
    const declared = await call({ command: 'incident declare', id: 'inc-handler', source: 'legacy-crm', description: 'legacy blast' });
    const dryRun = await call({ command: 'campaign dry-run', incidentId: 'inc-handler' });
    const runEarly = await call({ command: 'campaign run', incidentId: 'inc-handler' }, 'bob');
    const byDeclarer = await call({ command: 'campaign approve', incidentId: 'inc-handler', plan: dryRun.body.result.plannedAt }, 'alice');
    const bySecond = await call({ command: 'campaign approve', incidentId: 'inc-handler', plan: dryRun.body.result.plannedAt }, 'bob');
    const run = await call({ command: 'campaign run', incidentId: 'inc-handler', maxSeconds: 30 }, 'bob');
    // The sender function does the sending (here played in-process over the world's apology queue).
    await world.drain();
    const again = await call({ command: 'campaign run', incidentId: 'inc-handler' }, 'bob');
    const status = await call({ command: 'campaign status', incidentId: 'inc-handler' });

    // Assess
    expect(imported.body.result).toMatchObject({ lines: 3, accepted: 3, refused: 0 });
    expect(declared.body.result.declaredBy).toBe('arn:aws:iam::000000000000:user/alice');
    expect(dryRun.body.result).toMatchObject({ state: 'AWAITING_APPROVAL', approvalThreshold: 1, summary: { toApologise: 2 } });
    expect(runEarly).toMatchObject({ status: 409, body: { error: { code: 'AWAITING_APPROVAL' } } });
    expect(byDeclarer.status).toBe(403);
    expect(byDeclarer.body.error).toMatchObject({ code: 'SAME_PRINCIPAL', message: expect.stringContaining('needs a second person') });
    expect(bySecond.body.result).toMatchObject({ outcome: 'APPROVED', approval: { approvedBy: 'arn:aws:iam::000000000000:user/bob', approvedSize: 2 } });
    expect(run.body.result).toMatchObject({ state: 'APPROVED', enqueuedNow: 2, enqueue: { enqueued: 2, done: true }, settled: 0, allowedRate: 14 });
    // Again: nothing more to enqueue, and the counters say what is cumulative.
    expect(again.body.result).toMatchObject({ state: 'COMPLETE', enqueuedNow: 0, settled: 2, claims: { SENT: 2 } });
    expect(status.body.result.progress).toMatchObject({ state: 'COMPLETE', settled: 2, toApologise: 2, etaSeconds: 0 });
    expect(status.body.result.campaign.approval.approvedBy).toBe('arn:aws:iam::000000000000:user/bob');
    expect(await mailbox.to(world.address('zoe'))).toHaveLength(1);
    expect(await mailbox.to(world.address('yves'))).toHaveLength(1);
    expect(await mailbox.to(world.address('ann'))).toHaveLength(0);
  });

  it('numbers a later page of a send log as in the file', async () => {
    // Act
    const answer = await call({ command: 'import', lines: ['{"broken":'], firstLine: 5001 });

    // Assess
    expect(answer.body.result).toMatchObject({ lines: 1, refused: 1 });
    expect(answer.body.result.issues[0].line).toBe(5001);
  });

  it('answers 404 for an incident nobody declared and 409 for an id declared twice', async () => {
    // Act
    const missing = await call({ command: 'campaign status', incidentId: 'inc-nobody' });
    const twice = await call({ command: 'incident declare', id: 'inc-handler', source: 'legacy-crm', description: 'again' });
    const badWindow = await call({ command: 'incident declare', description: 'x', from: '2025-03-01T00:00:00Z' });

    // Assess
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.error.issues).toContainEqual({ field: 'window', rule: 'give both --from and --to, or neither' });
  });

  it('reveals an address only to a listed revealer who says why, and records who, why and which notices', async () => {
    // Prepare
    const rita = world.address('rita');
    await call({ command: 'import', lines: [sendLogLine({ sourceNoticeId: 'o-rita', recipientAddress: rita, registryId: 'reg-ann', purchaseId: 'p-rita' })] });
    const reveals = new DynamoDbRevealRecords(clients.documentClient, world.tables.audit);
    const reason = 'owner asked which address we mailed (ticket 4711)';

    // Act
    const byAlice = await call({ command: 'notice show', query: rita, reveal: true, reason }, 'alice');
    const noReason = await call({ command: 'notice show', query: rita, reveal: true }, 'bob');
    const byBob = await call({ command: 'notice show', query: rita, reveal: true, reason }, 'bob');
    const masked = await call({ command: 'notice show', query: rita }, 'alice');

    // Assess: alice is refused before anything is read, naming the rule and the setting.
    expect(byAlice.status).toBe(403);
    expect(byAlice.body.error.code).toBe('REVEAL_NOT_PERMITTED');
    expect(byAlice.body.error.issues).toEqual([{ field: 'caller', rule: expect.stringMatching(/^NOT_A_REVEALER: .*operatorRevealerRoles \(user\/bob\)/) }]);
    expect(JSON.stringify(byAlice.body)).not.toContain(rita);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.issues).toEqual([{ field: 'reason', rule: expect.stringContaining('is required with reveal: true') }]);
    expect(byBob.status).toBe(200);
    const [story] = byBob.body.result as unknown as { noticeId: string; decision: { recipient: string } }[];
    expect(story!.decision.recipient).toBe(rita);
    expect((masked.body.result as unknown as { decision: { recipient: string } }[])[0]!.decision.recipient).not.toBe(rita);
    const recorded = (await reveals.latest(20)).filter((r) => r.noticeIds.includes(story!.noticeId));
    expect(recorded).toEqual([{ by: 'arn:aws:iam::000000000000:user/bob', person: '000000000000/bob', reason, at: expect.stringMatching(/^\d{4}-/), noticeIds: [story!.noticeId] }]);
  });

  it('logs no address and no IAM ARN, only ids', async () => {
    // Prepare
    const logged: string[] = [];
    const writes = (['stdout', 'stderr'] as const).map((stream) =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      }),
    );
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );

    // Act
    try {
      await call({ command: 'campaign status', incidentId: 'inc-handler' });
      await call({ command: 'import', lines: [sendLogLine({ sourceNoticeId: 'o-9', recipientAddress: 'not-an-address', registryId: 'r', purchaseId: 'p' })] });
      await call({ command: 'notice show', query: world.address('rita'), reveal: true, reason: 'ticket of Rita Secret' }, 'alice');
    } finally {
      for (const spy of [...writes, ...spies]) spy.mockRestore();
    }

    // Assess
    const output = logged.join('\n');
    expect(output).toContain('operator command done');
    expect(output).not.toContain(world.domain);
    expect(output).not.toContain('user/alice');
    expect(output).not.toContain('Rita Secret');
    expect(output).toContain('RevealNotPermittedError');
  });
});
