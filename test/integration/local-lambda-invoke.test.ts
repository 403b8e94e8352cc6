import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNameParts, InvocationError, LambdaInvokeServer } from '@registry-notices/local-stack';

/**
 * The local Lambda endpoint's answers for the outcomes an invocation can have, each made by a
 * stand-in for the execution environments (the real ones: test/integration/local-stack-iam.test.ts,
 * where a function invokes another through the IAM gate), read back by the SDK's LambdaClient.
 */
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:S-Target';
const outcomes: Record<string, () => unknown> = {
  ok: () => ({ payload: { fine: true }, awsRequestId: 'r', durationMs: 1, coldStart: false }),
  nothing: () => ({ payload: null, awsRequestId: 'r', durationMs: 1, coldStart: false }),
  timeout: () => {
    throw new InvocationError('S-Target', 'Timeout', 'Task timed out after 1.00 seconds');
  },
  crash: () => {
    throw new InvocationError('S-Target', 'RuntimeCrash', 'the runtime exited (code 1)');
  },
  huge: () => ({ payload: 'x'.repeat(6_300_000), awsRequestId: 'r', durationMs: 1, coldStart: false }),
};
let mode = 'ok';
const server = new LambdaInvokeServer({
  functions: [{ logicalId: 'Target', name: 'S-Target', arn: ARN }],
  region: 'us-east-1',
  accountId: '000000000000',
  invoke: async () => outcomes[mode]!() as never,
});
let lambda: LambdaClient;

beforeAll(async () => {
  await server.start();
  lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await server.stop();
});

async function invoke(as: string, name = 'S-Target'): Promise<{ status?: number; functionError?: string; payload: unknown }> {
  mode = as;
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode('{}') }));
  return { status: out.StatusCode, functionError: out.FunctionError, payload: JSON.parse(new TextDecoder().decode(out.Payload)) };
}

describe('the local Lambda endpoint (Invoke, RequestResponse)', () => {
  it('answers the result, by name, partial or full ARN; null when the handler returns nothing', async () => {
    expect(await invoke('ok')).toEqual({ status: 200, functionError: undefined, payload: { fine: true } });
    expect(await invoke('ok', ARN)).toMatchObject({ payload: { fine: true } });
    expect(await invoke('ok', '000000000000:function:S-Target')).toMatchObject({ payload: { fine: true } });
    expect(await invoke('nothing')).toEqual({ status: 200, functionError: undefined, payload: null });
  });

  it("answers a timeout, a crash and a result over 6 MB as Lambda does: 200, X-Amz-Function-Error: Unhandled, the runtime's error payload", async () => {
    const timeout = await invoke('timeout');
    const crash = await invoke('crash');
    const huge = await invoke('huge');

    expect(timeout).toMatchObject({ status: 200, functionError: 'Unhandled', payload: { errorType: 'Sandbox.Timedout' } });
    expect((timeout.payload as { errorMessage: string }).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    expect(crash).toMatchObject({ status: 200, functionError: 'Unhandled', payload: { errorType: 'Runtime.ExitError' } });
    expect(huge).toEqual({ status: 200, functionError: 'Unhandled', payload: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' } });
  });

  it("refuses a function of another account or region as not found, and reads the FunctionName forms Lambda accepts", async () => {
    await expect(invoke('ok', 'arn:aws:lambda:eu-west-1:000000000000:function:S-Target')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(invoke('ok', '111122223333:function:S-Target')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(functionNameParts('S-Target:live')).toEqual({ name: 'S-Target', qualifier: 'live' });
    expect(functionNameParts('not a name')).toBeUndefined();
  });
});
