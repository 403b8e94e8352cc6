import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { signedPost } from '../../../cli/operator/signed-post';
import { LOCAL_AWS_REGION, type LocalStack } from '@registry-notices/local-stack';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { startBundledStack } from '../../support/bundled-stack';
import { OPERATOR_STACK_CONTEXT } from '../../support/operator-endpoint';
import { writeTestStackState } from '../../support/local-stack-state';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, sendLogLine, tablesFromOutputs, type AuditWorld } from './audit-world';
import { testTempDir } from '../../support/temp-dir';

/**
 * The operator flow of issue 4 on the command line, end to end through the control plane: the
 * CLI signs each request (SigV4) and posts it to the operator endpoint of the local stack, a
 * function URL served by the local engine from the synthesized template, whose function runs
 * from its esbuild bundle. Two local access keys, alice and bob, are two people.
 */
describe('operator flow on the command line, through the operator endpoint', () => {
  let clients: AwsClients;
  let local: LocalStack;
  let world: AuditWorld;
  let stateFile: string;
  let logFile: string;
  const lines: string[] = [];
  const errors: string[] = [];
  const progress: string[] = [];
  const as = (name: string) => ({ ...process.env, AWS_ACCESS_KEY_ID: name, AWS_SECRET_ACCESS_KEY: name });
  const cli = (who: string, ...argv: string[]) =>
    main([...argv, '--state', stateFile], (l) => lines.push(l), { error: (l) => errors.push(l), env: as(who), out: { isTTY: false, write: (t) => progress.push(t) } });

  beforeAll(async () => {
    // Prepare: the app as bin/ builds it, bundled for real; the approval threshold 1 makes two apologies need a second person.
    ({ local } = await startBundledStack({ prefix: 'ops', context: OPERATOR_STACK_CONTEXT }));
    stateFile = writeTestStackState(local.outputs.values, local.stack.stackName);
    clients = createAwsClients();
    world = await createAuditWorld(clients, {}, tablesFromOutputs(local.outputs.values), local.outputs.values.AddressHashKeyArn);
    await world.putRegistry('reg-ann', 'cus-ann');
    await world.putCustomer('cus-ann', 'ann');
    await world.putCustomer('cus-bob', 'bob', 'de');
    logFile = path.join(testTempDir('send-log-'), 'legacy.jsonl');
    writeFileSync(
      logFile,
      [
        sendLogLine({ sourceNoticeId: 'n-1', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-1' }),
        sendLogLine({ sourceNoticeId: 'n-2', recipientAddress: world.address('bob'), registryId: 'reg-ann', purchaseId: 'p-2' }),
        sendLogLine({ sourceNoticeId: 'n-3', recipientAddress: world.address('zoe'), registryId: 'reg-gone', purchaseId: 'p-3' }),
        sendLogLine({ sourceNoticeId: 'n-4', recipientAddress: 'broken', registryId: 'reg-ann', purchaseId: 'p-4' }),
      ].join('\n'),
    );
  }, 180_000);

  afterAll(async () => {
    await local?.stop();
    clients?.destroy();
  });

  it('walks the operator through to exactly one apology per wrongly notified address, approved by a second person', async () => {
    const mailbox = new Mailbox();

    // Act
    expect(await cli('alice', 'import', logFile)).toBe(0);
    expect(await cli('alice', 'incident', 'declare', '--id', 'inc-cli', '--source', 'legacy-crm', '--description', 'legacy CRM blast')).toBe(0);
    expect(await cli('alice', 'incident', 'list')).toBe(0);
    expect(await cli('alice', 'campaign', 'dry-run', 'inc-cli')).toBe(0);
    const sentAfterDryRun = (await mailbox.list()).filter((m) => m.to.some((a) => a.endsWith(world.domain)));
    const plan = (await world.deps.campaigns.get('inc-cli'))!.plannedAt;
    const selfApproval = await cli('alice', 'campaign', 'approve', 'inc-cli', '--plan', plan);
    expect(await cli('bob', 'campaign', 'approve', 'inc-cli', '--plan', plan)).toBe(0);
    expect(await cli('bob', 'campaign', 'run', 'inc-cli')).toBe(0);
    expect(await cli('alice', 'campaign', 'run', 'inc-cli')).toBe(0);
    expect(await cli('alice', 'campaign', 'status', 'inc-cli')).toBe(0);

    // Assess
    const out = lines.join('\n');
    expect(out).toContain('4 lines, 3 accepted, 0 already imported, 1 refused');
    expect(out).toContain('line 4: recipientAddress must be an email address');
    expect(out).toContain('by arn:aws:iam::000000000000:user/alice');
    expect(out).toContain('would apologise to 2 address(es)');
    expect(selfApproval).toBe(1);
    expect(errors.join('\n')).toContain('needs a second person');
    expect(out).toContain('Approved the campaign of inc-cli: 2 apologies, by arn:aws:iam::000000000000:user/bob');
    // What this run did, and what is cumulative; the second run sends nothing, and says so.
    expect(out).toMatch(
      /This run: enqueued 2, settled 2 \(SENT 2\)\.\nCumulative: 2 of 2 settled \(SENT 2\)\.\nCampaign of inc-cli complete\.[\s\S]*This run: enqueued 0, settled 0 \(none\)\.\nCumulative: 2 of 2 settled \(SENT 2\)\.\nCampaign of inc-cli complete\./,
    );
    expect(sentAfterDryRun).toHaveLength(0);
    expect(await mailbox.to(world.address('bob'))).toHaveLength(1);
    expect(await mailbox.to(world.address('zoe'))).toHaveLength(1);
    expect(await mailbox.to(world.address('ann'))).toHaveLength(0);
    expect(progress.at(-1)).toBe('2/2 apologies settled (100%) SENT 2\n');
    expect(progress).toContainEqual(expect.stringMatching(/^2\/2 apologies settled \(100%\) SENT 2; 14\/s allowed, ETA 0s\n$/));
  });

  it('explains what is wrong with a declaration, naming the field', async () => {
    // Act
    const code = await cli('alice', 'incident', 'declare', '--description', 'x', '--from', '2025-03-01T00:00:00Z');

    // Assess
    expect(code).toBe(1);
    expect(errors.at(-1)).toContain('window: give both --from and --to, or neither');
  });

  it('is refused by the endpoint without a valid signature, before the function runs', async () => {
    // Prepare
    const url = local.outputs.values.OperatorEndpointUrl!;

    // Act
    const unsigned = await signedPost({ url, region: LOCAL_AWS_REGION }, '{"command":"incident list"}');
    const forged = await main(['incident', 'list', '--state', stateFile], () => undefined, {
      error: (l) => errors.push(l),
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'alice', AWS_SECRET_ACCESS_KEY: 'not-alice' },
    });

    // Assess
    expect(unsigned.status).toBe(403);
    expect(forged).toBe(1);
    expect(errors.at(-1)).toContain('403 Forbidden: the signature does not match');
  });
});
