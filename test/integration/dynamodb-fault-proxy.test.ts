import { DescribeLimitsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type DynamoDbFaultOptions, type DynamoDbFaultProxy, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, startDynamoDbFaults } from '@registry-notices/local-stack';
import { dynamoDbClient } from '../../lambdas/platform/aws/dynamodb-client';
import { awsHttpHandler } from '../../lambdas/platform/aws/http-options';

/**
 * The fault proxy itself (local/emulators/dynamodb-faults.ts): its answers are the ones the
 * SDK knows from DynamoDB, its draw repeats with the seed, and it counts what it did. One
 * attempt per call here, so each request's fault is the call's outcome.
 */
describe('the DynamoDB fault proxy', () => {
  const opened: { proxy: DynamoDbFaultProxy; client: DynamoDBClient }[] = [];
  afterEach(async () => {
    for (const { proxy, client } of opened.splice(0)) {
      client.destroy();
      await proxy.close();
    }
  });

  async function through(options: DynamoDbFaultOptions): Promise<{ proxy: DynamoDbFaultProxy; call: () => Promise<string> }> {
    const proxy = await startDynamoDbFaults(inject('emulatorEndpoints').dynamodb, options);
    const client = dynamoDbClient({
      endpoint: proxy.url,
      region: LOCAL_AWS_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: awsHttpHandler({ socketTimeoutMs: 300 }),
    });
    opened.push({ proxy, client });
    // The same request each time: only its occurrence changes the draw.
    const call = async (): Promise<string> => {
      try {
        await client.send(new DescribeLimitsCommand({}));
        return 'OK';
      } catch (error) {
        return (error as Error).name;
      }
    };
    return { proxy, call };
  }

  it('answers as DynamoDB does: both throttling errors (400), InternalServerError (500), and a stall the client gives up on', async () => {
    // Prepare
    const throttled = await through({ throttle: 1 });
    const failing = await through({ serverError: 1 });
    const stalled = await through({ stall: 1 });

    // Act
    const throttles = [];
    for (let i = 0; i < 12; i += 1) throttles.push(await throttled.call());
    const errors = [await failing.call(), await failing.call()];
    const stalls = [await stalled.call(), await stalled.call(), await stalled.call(), await stalled.call()];

    // Assess
    expect(new Set(throttles)).toEqual(new Set(['ProvisionedThroughputExceededException', 'ThrottlingException']));
    expect(errors).toEqual(['InternalServerError', 'InternalServerError']);
    expect(new Set(stalls)).toEqual(new Set(['TimeoutError']));
    const counts = throttled.proxy.counts();
    expect(counts.throttles).toBe(12);
    expect(counts.faults.PROVISIONED_THROUGHPUT_EXCEEDED + counts.faults.THROTTLING).toBe(12);
    expect(counts.byOperation[`DescribeLimits PROVISIONED_THROUGHPUT_EXCEEDED`]).toBe(counts.faults.PROVISIONED_THROUGHPUT_EXCEEDED);
    expect(stalled.proxy.counts().faults.STALLED_APPLIED + stalled.proxy.counts().faults.STALLED_UNSENT).toBe(4);
  });

  it('draws the same faults for the same requests under the same seed, others under another, and none while off', async () => {
    // Prepare
    const rates = { throttle: 0.3, serverError: 0.2 };
    const a = await through({ ...rates, seed: 's1' });
    const b = await through({ ...rates, seed: 's1' });
    const c = await through({ ...rates, seed: 's2' });
    const off = await through({ ...rates, enabled: false });
    const run = async (p: { call: () => Promise<string> }): Promise<string[]> => {
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i += 1) outcomes.push(await p.call());
      return outcomes;
    };

    // Act
    const [first, again, other, none] = [await run(a), await run(b), await run(c), await run(off)];

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.filter((o) => o !== 'OK').length).toBeGreaterThan(5);
    expect(none.every((o) => o === 'OK')).toBe(true);
    expect(off.proxy.counts().requests).toBe(0);
    expect(a.proxy.counts().requests).toBe(30);
  });
});
