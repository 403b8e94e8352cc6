import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '@registry-notices/local-stack';
import { main } from '../../cli/main';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { startBundledStack } from '../support/bundled-stack';
import { OPERATOR_STACK_CONTEXT } from '../support/operator-endpoint';
import { writeTestStackState } from '../support/local-stack-state';

/**
 * `sending pause|resume|status` on the command line, through the local stack's operator
 * endpoint (the function from its bundle, its role's grants from the template): the kill switch
 * every sender reads is set in the SSM emulator, and each flip is recorded in the audit table
 * with the caller's IAM ARN, the time and the reason. alice and bob are two local access keys.
 */
describe('pausing and resuming sending from the operator endpoint', () => {
  let clients: AwsClients;
  let local: LocalStack;
  let stateFile: string;
  const lines: string[] = [];
  const errors: string[] = [];
  const cli = async (who: string, ...argv: string[]) => {
    lines.length = 0;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: who, AWS_SECRET_ACCESS_KEY: who };
    const code = await main([...argv, '--state', stateFile], (l) => lines.push(l), { error: (l) => errors.push(l), env });
    return { code, text: lines.join('\n') };
  };
  const switchValue = async () =>
    (await clients.ssm.send(new GetParameterCommand({ Name: local.outputs.values.KillSwitchParameterName! }))).Parameter?.Value;

  beforeAll(async () => {
    // The same context as the operator-flow and console tests: one bundled synth for the three.
    ({ local } = await startBundledStack({ prefix: 'send', context: OPERATOR_STACK_CONTEXT }));
    stateFile = writeTestStackState(local.outputs.values, local.stack.stackName);
    clients = createAwsClients();
  }, 240_000);

  afterAll(async () => {
    await local?.stop();
    clients?.destroy();
  });

  it('sets the kill switch the senders read and records who flipped it, when and why', async () => {
    // Act
    const before = await cli('alice', 'sending', 'status');
    const pause = await cli('alice', 'sending', 'pause', '--reason', 'bounce storm');
    const whilePaused = await switchValue();
    const again = await cli('bob', 'sending', 'pause');
    const paused = await cli('bob', 'sending', 'status');
    const resume = await cli('bob', 'sending', 'resume', '--reason', 'provider recovered');
    const afterResume = await switchValue();
    const after = await cli('alice', 'sending', 'status');
    const { Items: recorded = [] } = await clients.documentClient.send(
      new QueryCommand({ TableName: local.outputs.values.AuditTableName!, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SENDING' } }),
    );

    // Assess
    expect(before).toEqual({ code: 0, text: expect.stringMatching(/^Sending is on in the local stack .* = false\)\.\n {2}no pause or resume recorded\.$/) });
    expect(pause.code).toBe(0);
    expect(pause.text).toMatch(/^Sending paused by arn:aws:iam::000000000000:user\/alice at \d{4}-\d\d-\d\dT[\d:.]+Z \(.*sending-paused = true\)\.$/);
    expect(whilePaused).toBe('true');
    expect(again.text).toMatch(/^Sending was already paused .*; recorded your request, by arn:aws:iam::000000000000:user\/bob/);
    expect(paused.text).toMatch(/^Sending is PAUSED/);
    expect(paused.text).toMatch(/PAUSE {3}by arn:aws:iam::000000000000:user\/bob\n.*PAUSE {3}by arn:aws:iam::000000000000:user\/alice: bounce storm$/);
    expect(resume.text).toMatch(/^Sending resumed by arn:aws:iam::000000000000:user\/bob at /);
    expect(afterResume).toBe('false');
    expect(after.text.split('\n')[1]).toMatch(/RESUME {2}by arn:aws:iam::000000000000:user\/bob: provider recovered$/);
    expect(recorded.map((r) => [r.action, r.by, r.before, r.reason])).toEqual([
      ['PAUSE', 'arn:aws:iam::000000000000:user/alice', 'false', 'bounce storm'],
      ['PAUSE', 'arn:aws:iam::000000000000:user/bob', 'true', undefined],
      ['RESUME', 'arn:aws:iam::000000000000:user/bob', 'true', 'provider recovered'],
    ]);
    expect(errors).toEqual([]);
  });

  it('refuses an empty reason, naming the field, and changes nothing', async () => {
    // Act
    const refused = await cli('alice', 'sending', 'pause', '--reason', '');

    // Assess
    expect(refused.code).toBe(1);
    expect(errors.at(-1)).toContain('reason: must not be empty');
    expect(await switchValue()).toBe('false');
  });
});
