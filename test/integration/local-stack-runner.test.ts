import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assetCode, type BatchReport, type CfnTemplate, InvocationError, type LocalStack, writeFakeAssembly } from '@registry-notices/local-stack';
import { createAwsClients } from '../support/aws-clients';
import { startOnEmulators } from '../support/emulator-stack';
import { removedAfterFile, testTempDir } from '../support/temp-dir';

/**
 * A handler bundle whose behaviour each message asks for ({ fail }, { throwOnce },
 * { badReportOnce }, { sleepMs }); it writes one JSON line per event to OUT_FILE, so the
 * tests see exactly what Lambda semantics delivered to it, independently of the real handler.
 */
const FIXTURE_HANDLER = `
const fs = require('node:fs');
let invocations = 0;
const OUT = process.env.OUT_FILE;
const write = (entry) => fs.appendFileSync(OUT, JSON.stringify({ ...entry, at: Date.now() }) + '\\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const once = (marker) => { const file = OUT + '.' + marker; if (fs.existsSync(file)) return false; fs.writeFileSync(file, ''); return true; };
// A slow init phase (module load), when the function's environment asks for one.
if (process.env.INIT_SLEEP_MS) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.INIT_SLEEP_MS));
exports.handler = async (event, context) => {
  invocations += 1;
  if (!event.Records) {
    write({ kind: 'direct', event });
    if (event.sleepMs) await sleep(event.sleepMs);
    return {
      invocations,
      remainingMs: context.getRemainingTimeInMillis(),
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      memoryLimitInMB: context.memoryLimitInMB,
      env: { QUEUE_URL: process.env.QUEUE_URL, AWS_ENDPOINT_URL_SQS: process.env.AWS_ENDPOINT_URL_SQS, AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME },
    };
  }
  const bodies = event.Records.map((record) => JSON.parse(record.body));
  const ids = bodies.map((body) => body.id);
  const firstReceipt = Math.min(...event.Records.map((record) => Number(record.attributes.ApproximateFirstReceiveTimestamp)));
  write({ kind: 'batch', ids, receiveCounts: event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)), waitedMs: Date.now() - firstReceipt });
  const sleepMs = Math.max(0, ...bodies.map((body) => body.sleepMs ?? 0));
  if (sleepMs) await sleep(sleepMs);
  if (bodies.some((body) => body.throwOnce && once(body.id))) throw new Error('boom');
  const failures = event.Records.filter((_, i) => bodies[i].fail).map((record) => ({ itemIdentifier: record.messageId }));
  if (bodies.some((body) => body.badReportOnce && once(body.id))) failures.push({ itemIdentifier: 'not-in-this-batch' });
  write({ kind: 'end', ids });
  return { batchItemFailures: failures };
};
`;

const outDir = testTempDir('runner-out-');
const OUT_FILE = path.join(outDir, 'events.jsonl');

const mapping = (queue: string, props: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::EventSourceMapping',
  Properties: { EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] }, FunctionName: { Ref: 'Fn' }, ...props },
});

/** The fixture as a function of its own with a 1 s timeout, invoked directly (no event source). */
const oneSecondFunction = (properties: Record<string, unknown>, variables: Record<string, string> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Code: assetCode('fixture.zip'),
    Handler: 'index.handler',
    Runtime: 'nodejs24.x',
    Timeout: 1,
    ...properties,
    Environment: { Variables: { OUT_FILE, ...variables } },
  },
});

const template: CfnTemplate = {
  Resources: {
    Dlq: { Type: 'AWS::SQS::Queue' },
    Main: {
      Type: 'AWS::SQS::Queue',
      // Long enough that invoking and deleting a batch never outlasts it on a loaded 2-core box
      // (at 2 s, a record that succeeded was seen delivered twice).
      Properties: { VisibilityTimeout: 5, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 2 } },
    },
    Plain: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 2 } },
    Windowed: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 5 } },
    Throttled: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 10 } },
    Role: { Type: 'AWS::IAM::Role' },
    // What CDK's SqsEventSource grants a function's role: Lambda polls as the role, through the gate.
    RolePolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'poll',
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
              Resource: ['Main', 'Plain', 'Windowed', 'Throttled'].map((queue) => ({ 'Fn::GetAtt': [queue, 'Arn'] })),
            },
          ],
        },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: assetCode('fixture.zip'),
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Timeout: 2,
        MemorySize: 256,
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: { Variables: { OUT_FILE, QUEUE_URL: { Ref: 'Main' } } },
      },
    },
    // One environment only: shows warm reuse, and the cold start after a timeout.
    Solo: oneSecondFunction({ ReservedConcurrentExecutions: 1 }),
    // Init (1.5 s) longer than the function's timeout (1 s): Lambda times init apart.
    SlowInit: oneSecondFunction({}, { INIT_SLEEP_MS: '1500' }),
    MainSource: mapping('Main', { BatchSize: 10, MaximumBatchingWindowInSeconds: 1, ScalingConfig: { MaximumConcurrency: 2 }, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    PlainSource: mapping('Plain', { BatchSize: 5 }),
    WindowedSource: mapping('Windowed', { BatchSize: 10, MaximumBatchingWindowInSeconds: 2, ScalingConfig: { MaximumConcurrency: 2 }, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    ThrottledSource: mapping('Throttled', { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } }),
    Nightly: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, Input: '{"scheduled":"nightly"}' },
      },
    },
  },
};

interface OutLine {
  kind: 'direct' | 'batch' | 'end';
  ids?: string[];
  receiveCounts?: number[];
  waitedMs?: number;
  event?: Record<string, unknown>;
  at: number;
}

const aws = createAwsClients();
const reports: BatchReport[] = [];
let local: LocalStack;

beforeAll(async () => {
  local = await startOnEmulators(removedAfterFile(writeFakeAssembly('Runner', template, [{ objectKey: 'fixture.zip', files: { 'index.js': FIXTURE_HANDLER } }])), 't', {
    observer: (report) => reports.push(report),
  });
});

afterAll(async () => {
  await local?.stop();
  aws.destroy();
});

function lines(): OutLine[] {
  if (!existsSync(OUT_FILE)) return [];
  return readFileSync(OUT_FILE, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutLine);
}

/** The batches (kind 'batch') that held any of `ids`. */
function batchesWith(ids: readonly string[]): OutLine[] {
  return lines().filter((line) => line.kind === 'batch' && line.ids?.some((id) => ids.includes(id)));
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function send(queueLogicalId: string, bodies: Record<string, unknown>[]): Promise<void> {
  const QueueUrl = local.stack.resources.get(queueLogicalId)?.outputs.ref;
  await aws.sqs.send(
    new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: JSON.stringify(body) })) }),
  );
}

const newId = (): string => randomUUID().slice(0, 8);

describe('the SQS event source, with ReportBatchItemFailures', () => {
  it('deletes the records that succeeded and redelivers only the failed one, until the DLQ takes it', async () => {
    // Prepare
    const [ok1, bad, ok2] = [newId(), newId(), newId()];

    // Act
    await send('Main', [{ id: ok1 }, { id: bad, fail: true }, { id: ok2 }]);

    // Assess: the failed record is delivered twice (maxReceiveCount 2), then moved to the DLQ.
    const dlqUrl = local.stack.resources.get('Dlq')?.outputs.ref;
    const dead = await waitFor(
      'the failed record in the DLQ',
      async () => {
        const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
        return Messages.find((message) => JSON.parse(message.Body ?? '{}').id === bad);
      },
      25_000,
    );
    expect(dead).toBeDefined();
    const seen = (id: string) => batchesWith([id]).map((batch) => batch.receiveCounts?.[batch.ids?.indexOf(id) ?? 0]);
    expect(seen(ok1)).toEqual([1]);
    expect(seen(ok2)).toEqual([1]);
    expect(seen(bad)).toEqual([1, 2]);
  });

  it('returns the whole batch when the handler throws, and each of its records is delivered again', async () => {
    // Prepare
    const [thrower, bystander] = [newId(), newId()];

    // Act
    await send('Main', [{ id: thrower, throwOnce: true }, { id: bystander }]);

    // Assess
    await waitFor('both records processed', () => lines().some((l) => l.kind === 'end' && l.ids?.includes(thrower)));
    const failed = reports.find((report) => report.outcome.kind === 'invocation-error' && report.deleted === 0);
    expect(failed).toBeDefined();
    const batches = batchesWith([thrower, bystander]);
    for (const id of [thrower, bystander].filter((candidate) => batches[0]?.ids?.includes(candidate))) {
      expect(batches.filter((batch) => batch.ids?.includes(id)).length, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('retries the whole batch when the failure report names a record not in the batch', async () => {
    // Prepare
    const id = newId();

    // Act
    await send('Main', [{ id, badReportOnce: true }]);

    // Assess
    await waitFor('the record delivered a second time', () => batchesWith([id]).length >= 2 || undefined);
    expect(reports.some((report) => report.outcome.kind === 'batch-failed')).toBe(true);
  });

  it('waits for the batching window before invoking a batch that is not full', async () => {
    // Prepare
    const ids = [newId(), newId()];

    // Act
    await send('Windowed', ids.map((id) => ({ id })));

    // Assess
    await waitFor('both records processed', () => ids.every((id) => batchesWith([id]).length > 0) || undefined);
    for (const batch of batchesWith(ids)) expect(batch.waitedMs).toBeGreaterThanOrEqual(1900);
  });
});

describe('the SQS event source, without ReportBatchItemFailures', () => {
  it('deletes the whole batch when the handler returns, whatever it reports', async () => {
    // Prepare
    const id = newId();

    // Act
    await send('Plain', [{ id, fail: true }]);

    // Assess: after more than the visibility timeout, it has not come back.
    await waitFor('the record processed', () => batchesWith([id]).length > 0 || undefined);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(batchesWith([id])).toHaveLength(1);
  });
});

describe('ScalingConfig.MaximumConcurrency', () => {
  it('never runs more invocations of a mapping at once than its maximum', async () => {
    // Prepare
    const ids = Array.from({ length: 6 }, newId);

    // Act
    await send('Throttled', ids.map((id) => ({ id, sleepMs: 400 })));

    // Assess
    await waitFor('all records processed', () => ids.every((id) => lines().some((l) => l.kind === 'end' && l.ids?.includes(id))) || undefined);
    const spans = ids.map((id) => {
      const all = lines();
      const start = all.find((l) => l.kind === 'batch' && l.ids?.includes(id))?.at ?? 0;
      const end = all.find((l) => l.kind === 'end' && l.ids?.includes(id))?.at ?? 0;
      return { start, end };
    });
    const overlapAt = (t: number) => spans.filter((span) => span.start <= t && t < span.end).length;
    const peak = Math.max(...spans.map((span) => overlapAt(span.start)));
    expect(peak).toBe(2);
  });
});

describe('direct invocation', () => {
  it('gives the handler a Lambda context and the environment resolved from the template', async () => {
    // Act
    const { payload } = await local.functions.invoke('Fn', { hello: 'world' });

    // Assess
    const result = payload as { functionName: string; remainingMs: number; memoryLimitInMB: string; awsRequestId: string; env: Record<string, string> };
    expect(result.functionName).toBe(local.stack.resources.get('Fn')?.outputs.ref);
    expect(result.remainingMs).toBeGreaterThan(1000);
    expect(result.remainingMs).toBeLessThanOrEqual(2000);
    expect(result.memoryLimitInMB).toBe('256');
    expect(result.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    // The function's AWS endpoint and its queue URL are the local IAM gate's, which forwards what its role allows.
    const gate = local.functions.gateUrl!;
    expect(gate).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gate).not.toBe(new URL(inject('emulatorEndpoints').sqs).origin);
    expect(result.env.AWS_ENDPOINT_URL_SQS).toBe(gate);
    expect(result.env.QUEUE_URL).toBe(`${gate}${new URL(local.stack.resources.get('Main')!.outputs.ref).pathname}`);
  });

  it('keeps an environment warm between invocations, and discards it at the function timeout', async () => {
    // Act
    const first = await local.functions.invoke('Solo', {});
    const second = await local.functions.invoke('Solo', {});
    const timedOut = local.functions.invoke('Solo', { sleepMs: 2000 });

    // Assess
    expect([first.coldStart, second.coldStart]).toEqual([true, false]);
    expect((second.payload as { invocations: number }).invocations).toBe(2);
    await expect(timedOut).rejects.toThrow(InvocationError);
    await expect(timedOut).rejects.toThrow(/Task timed out after 1.00 seconds/);
    const afterTimeout = await local.functions.invoke('Solo', {});
    expect(afterTimeout.coldStart).toBe(true);
    expect((afterTimeout.payload as { invocations: number }).invocations).toBe(1);
  });

  it("times a cold start's init apart from the function's timeout, as Lambda does: an init longer than the timeout still runs the handler with its whole timeout", async () => {
    // Act
    const cold = await local.functions.invoke('SlowInit', {});

    // Assess
    expect(cold.coldStart).toBe(true);
    expect(cold.durationMs).toBeGreaterThan(1500);
    expect((cold.payload as { remainingMs: number }).remainingMs).toBeGreaterThan(500);
  });
});

describe('fault injection', () => {
  it('kills the environments running an invocation, as a host failure would: the invocation fails, the next one starts cold', async () => {
    // Prepare
    await local.functions.invoke('Solo', {});
    const running = local.functions.invoke('Solo', { sleepMs: 800 });
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Act
    const killed = local.functions.crashRunning('Solo');

    // Assess
    expect(killed).toBe(1);
    await expect(running).rejects.toThrow(/the execution environment was killed/);
    const next = await local.functions.invoke('Solo', {});
    expect(next.coldStart).toBe(true);
    expect(local.functions.crashRunning('Solo')).toBe(0);
  });
});

describe('schedules', () => {
  it('reads the schedule from the template and invokes its target with its Input', async () => {
    // Act
    expect(local.functions.schedules.map((schedule) => schedule.expression.text)).toEqual(['cron(0 3 * * ? *)']);
    await local.functions.fireSchedule('Nightly');

    // Assess
    expect(lines().some((line) => line.kind === 'direct' && line.event?.scheduled === 'nightly')).toBe(true);
  });
});
