import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../../cli/main';
import { signedPost } from '../../../cli/operator/signed-post';
import { PREVIEW_UNSUBSCRIBE_TOKEN } from '../../../lambdas/operator/apology-preview';
import { emulatorEnv, LOCAL_AWS_REGION, startLocalStack, type LocalStack } from '@registry-notices/local-stack';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { bundledAssembly, startBundledStack } from '../../support/bundled-stack';
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

  it('previews the apology as the sender renders it: rendered by the apology preview function, which the operator function invokes', async () => {
    // Prepare
    const from = lines.length;
    const operatorId = [...local.functions.definitions.keys()].find((id) => id.startsWith('OperatorOperatorFunction'));

    // Act
    const code = await cli('alice', 'apology', 'preview', '--locale', 'de', '--sent-at', '2025-03-01T09:00:00Z');
    const badDate = await cli('alice', 'apology', 'preview', '--sent-at', 'yesterday');

    // Assess
    expect(code).toBe(0);
    const printed = lines.slice(from);
    expect(printed[0]).toBe('Subject: Wir haben Ihnen irrtümlich eine E-Mail geschickt');
    const unsubscribe = new URL(local.outputs.values.UnsubscribeEndpointUrl!);
    unsubscribe.searchParams.set('token', PREVIEW_UNSUBSCRIBE_TOKEN);
    expect(printed).toContain(`List-Unsubscribe: <${unsubscribe.toString()}>`);
    expect(printed).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(printed.join('\n')).toContain('1. März 2025');
    expect(local.functions.calls()).toContainEqual(expect.objectContaining({ functionLogicalId: operatorId, service: 'lambda', operation: 'Invoke', status: 200 }));
    // Refused by the operator function's own validation, before any invocation.
    expect(badDate).toBe(1);
    expect(errors.at(-1)).toContain('noticeSentAt: must be an RFC 3339 date-time with a time zone');
  });

  it('refuses the preview, naming AccessDenied, on a stack whose operator role lost lambda:InvokeFunction on the preview function', async () => {
    // Prepare: the same assembly less that one statement, on the same emulators
    const cutAssembly = withoutPreviewInvokeGrant(await bundledAssembly(OPERATOR_STACK_CONTEXT), testTempDir('cut-assembly-'));
    const endpoints = inject('emulatorEndpoints');
    const cut = await startLocalStack({
      cloudAssembly: cutAssembly,
      endpoints,
      functionEnvironment: emulatorEnv(endpoints),
      region: LOCAL_AWS_REGION,
      namePrefix: `opscut${Date.now().toString(36)}`,
      schedules: false,
      functionUrlPort: 0,
    });
    try {
      const cutState = writeTestStackState(cut.outputs.values, cut.stack.stackName);

      // Act
      const code = await main(['apology', 'preview', '--state', cutState], (l) => lines.push(l), { error: (l) => errors.push(l), env: as('alice'), out: { isTTY: false, write: () => undefined } });

      // Assess
      expect(code).toBe(1);
      expect(errors.at(-1)).toMatch(/Lambda refused to invoke the apology preview function \S+ \(AccessDeniedException: .*is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:\S+:function:\S*OperatorApologyPreviewFun/);
      expect(cut.functions.accessRefusals()).toEqual([expect.objectContaining({ action: 'lambda:InvokeFunction', functionLogicalId: expect.stringMatching(/^OperatorOperatorFunction/) })]);
    } finally {
      await cut.stop();
    }
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

/**
 * A copy of the cloud assembly `source` (template and manifests; the bundles where they are) in
 * `target`, its template less the operator role's `lambda:InvokeFunction` on the preview function.
 */
function withoutPreviewInvokeGrant(source: string, target: string): string {
  type Statement = { Action?: unknown; Resource?: unknown };
  type Template = { Resources: Record<string, { Type: string; Properties?: { PolicyDocument?: { Statement: Statement[] } } }> };
  const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(source, file), 'utf8')) as T;
  const write = (file: string, value: unknown) => writeFileSync(path.join(target, file), JSON.stringify(value));
  const manifest = read<{ artifacts: Record<string, { type: string; properties?: { file?: string; templateFile?: string } }> }>('manifest.json');
  mkdirSync(target, { recursive: true });
  write('manifest.json', manifest);
  let removed = 0;
  for (const artifact of Object.values(manifest.artifacts)) {
    const file = artifact.properties?.file ?? artifact.properties?.templateFile;
    if (file === undefined) continue;
    if (artifact.type === 'cdk:asset-manifest') {
      const assets = read<{ files?: Record<string, { source: { path?: string } }> }>(file);
      for (const asset of Object.values(assets.files ?? {})) if (asset.source.path) asset.source.path = path.resolve(source, asset.source.path);
      write(file, assets);
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const template = read<Template>(file);
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        const document = resource.Properties?.PolicyDocument;
        if (resource.Type !== 'AWS::IAM::Policy' || !logicalId.startsWith('OperatorOperatorFunctionRole') || document === undefined) continue;
        const kept = document.Statement.filter((st) => !(st.Action === 'lambda:InvokeFunction' && JSON.stringify(st.Resource).includes('ApologyPreviewFunction')));
        removed += document.Statement.length - kept.length;
        document.Statement = kept;
      }
      write(file, template);
    }
  }
  if (removed !== 1) throw new Error(`expected one lambda:InvokeFunction statement of the operator role on the preview function, found ${removed}`);
  return target;
}
