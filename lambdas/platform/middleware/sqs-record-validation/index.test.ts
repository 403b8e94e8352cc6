import middy from '@middy/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z as zodClassic } from 'zod';
import * as z from 'zod/mini';
import { beforeEach, describe, expect, it } from 'vitest';
import { sqsRecordFactory } from '../../../../test/helpers/factories';
import { lambdaContextFactory } from '../../../../test/support/lambda-context';
import { maskFieldNames } from '../../validation';
import type { Quarantine, QuarantinedMessage } from '../../queues/quarantine';
import { sqsRecordValidationMiddleware, validateSqsRecords } from './index';

const order = z.strictObject({ orderId: z.string(), quantity: z.number().check(z.lte(9, { error: 'must be at most 9' })) });
type Order = z.infer<typeof order>;

/** A quarantine that keeps what it is given, and can be made to fail for chosen message ids. */
function quarantineDouble() {
  const kept: QuarantinedMessage[] = [];
  const failFor = new Set<string>();
  const quarantine: Quarantine = {
    put: async (message) => {
      if (failFor.has(message.sourceMessageId)) throw new Error('quarantine unavailable');
      kept.push(message);
    },
  };
  return { quarantine, kept, failFor };
}

function loggerDouble() {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  return {
    lines,
    logger: {
      warn: (message: string, extra: Record<string, unknown>) => void lines.push({ level: 'warn', message, extra }),
      error: (message: string, extra: Record<string, unknown>) => void lines.push({ level: 'error', message, extra }),
    },
  };
}

function metricsDouble() {
  const counts: Record<string, number> = {};
  return { counts, metrics: { addMetric: (name: string, _unit: 'Count', value: number) => void (counts[name] = (counts[name] ?? 0) + value) } };
}

describe('sqsRecordValidationMiddleware', () => {
  let q: ReturnType<typeof quarantineDouble>;
  let log: ReturnType<typeof loggerDouble>;
  let counted: ReturnType<typeof metricsDouble>;
  let seen: Order[][];

  const handlerWith = (failIds: string[] = []) =>
    middy<unknown, SQSBatchResponse>()
      .use(sqsRecordValidationMiddleware({ schema: order, quarantine: q.quarantine, logger: log.logger, metrics: counted.metrics, knownFields: new Set(['orderId', 'quantity']) }))
      .handler(async (event) => {
        seen.push(event.Records.map((r) => r.data));
        return { batchItemFailures: failIds.map((itemIdentifier) => ({ itemIdentifier })) };
      });
  const invoke = (handler: ReturnType<typeof handlerWith>, event: SQSEvent) =>
    (handler as unknown as (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>)(event, lambdaContextFactory());

  beforeEach(() => {
    q = quarantineDouble();
    log = loggerDouble();
    counted = metricsDouble();
    seen = [];
  });

  it('hands the handler only the valid records, parsed, in their batch order', async () => {
    // Prepare
    const a = sqsRecordFactory({ orderId: 'a', quantity: 1 });
    const bad = sqsRecordFactory({ orderId: 'b', quantity: 10 });
    const c = sqsRecordFactory({ orderId: 'c', quantity: 2 });

    // Act
    const response = await invoke(handlerWith(), { Records: [a, bad, c] });

    // Assess
    expect(seen).toEqual([[{ orderId: 'a', quantity: 1 }, { orderId: 'c', quantity: 2 }]]);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('quarantines an invalid record with every broken rule and its source queue, counts it, and never retries it', async () => {
    // Prepare
    const bad = sqsRecordFactory({ quantity: 'many', extra: true }, { eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders' });

    // Act
    const response = await invoke(handlerWith(), { Records: [bad] });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(q.kept).toEqual([
      {
        source: 'orders',
        sourceMessageId: bad.messageId,
        body: bad.body,
        issues: expect.arrayContaining([
          { field: 'orderId', rule: expect.any(String) },
          { field: 'quantity', rule: expect.any(String) },
          { field: '(body)', rule: expect.stringContaining('extra') },
        ]),
        receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    expect(counted.counts).toEqual({ MessageQuarantined: 1 });
    expect(seen).toEqual([[]]);
  });

  it('refuses bad JSON and an oversized body before any schema sees them', async () => {
    // Prepare
    const notJson = sqsRecordFactory('{"orderId":');
    const huge = sqsRecordFactory({ orderId: 'x'.repeat(300 * 1024), quantity: 1 });

    // Act
    await invoke(handlerWith(), { Records: [notJson, huge] });

    // Assess
    expect(q.kept.map((m) => m.issues)).toEqual([
      [{ field: '(body)', rule: 'must be valid JSON' }],
      [{ field: '(body)', rule: 'must be at most 262144 bytes' }],
    ]);
  });

  it('reports a record whose quarantine write failed as a batch item failure, beside the handler\'s own', async () => {
    // Prepare
    const lost = sqsRecordFactory('not json');
    const kept = sqsRecordFactory('not json either');
    const retried = sqsRecordFactory({ orderId: 'r', quantity: 1 });
    q.failFor.add(lost.messageId);

    // Act
    const response = await invoke(handlerWith([retried.messageId]), { Records: [lost, kept, retried] });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: retried.messageId }, { itemIdentifier: lost.messageId }]);
    expect(q.kept.map((m) => m.sourceMessageId)).toEqual([kept.messageId]);
    expect(counted.counts).toEqual({ MessageQuarantined: 1, QuarantineWriteFailed: 1 });
    expect(log.lines.find((l) => l.level === 'error')?.extra).toMatchObject({ messageId: lost.messageId, error: { message: 'quarantine unavailable' } });
  });

  it('creates the response when the handler returns none and a quarantine write failed', async () => {
    // Prepare
    const lost = sqsRecordFactory('not json');
    q.failFor.add(lost.messageId);
    const handler = middy()
      .use(sqsRecordValidationMiddleware({ schema: order, quarantine: q.quarantine, logger: log.logger }))
      .handler(async () => undefined);

    // Act
    const response = await (handler as unknown as (e: SQSEvent, c: unknown) => Promise<unknown>)({ Records: [lost] }, lambdaContextFactory());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: lost.messageId }] });
  });

  it('keeps the failures of two overlapping invocations apart', async () => {
    // Prepare
    const handler = handlerWith();
    const lostA = sqsRecordFactory('not json');
    const lostB = sqsRecordFactory('not json');
    q.failFor.add(lostA.messageId).add(lostB.messageId);

    // Act
    const [a, b] = await Promise.all([invoke(handler, { Records: [lostA] }), invoke(handler, { Records: [lostB] })]);

    // Assess
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: lostA.messageId }]);
    expect(b.batchItemFailures).toEqual([{ itemIdentifier: lostB.messageId }]);
  });

  it('masks in its log every field name that is not the contract\'s, and keeps them in the quarantine', async () => {
    // Prepare: names a producer chose, one with a person's name and one with U+202E.
    const secretKeys = ['Ann Smith lost the baby', 'evil\u202Etxt.exe'];
    const bad = sqsRecordFactory({ orderId: 'o', quantity: 1, [secretKeys[0]!]: 1, [secretKeys[1]!]: 2 });
    const loose = z.catchall(z.object({ orderId: z.string(), quantity: z.number() }), z.custom<never>(() => false, { error: 'is not a field' }));
    const outcome = validateSqsRecords([bad], { schema: loose, quarantine: q.quarantine, logger: log.logger, knownFields: new Set(['orderId', 'quantity']) });

    // Act
    await outcome;

    // Assess
    const logged = JSON.stringify(log.lines);
    for (const key of secretKeys) expect(logged).not.toContain(key);
    // (a dot in a producer's key reads as a path: both halves are masked)
    expect(log.lines[0]?.extra.issues).toEqual([
      { field: '[unknown field]', rule: 'is not a field' },
      { field: '[unknown field].[unknown field]', rule: 'is not a field' },
    ]);
    expect(q.kept[0]?.issues.map((i) => i.field)).toEqual(secretKeys);
  });

  it.each([
    ['zod (classic)', zodClassic.object({ orderId: zodClassic.string() })],
    ['zod/mini', z.object({ orderId: z.string() })],
    [
      'a hand-written Standard Schema',
      {
        '~standard': {
          version: 1,
          vendor: 'ours',
          validate: (value: unknown) =>
            typeof value === 'object' && value !== null && typeof (value as { orderId?: unknown }).orderId === 'string'
              ? { value: { orderId: (value as { orderId: string }).orderId } }
              : { issues: [{ message: 'is required', path: [{ key: 'orderId' }] }] },
        },
      } satisfies StandardSchemaV1<unknown, { orderId: string }>,
    ],
  ] as const)('takes any Standard Schema: %s', async (_, schema: StandardSchemaV1<unknown, { orderId: string }>) => {
    // Act
    const outcome = await validateSqsRecords([sqsRecordFactory({ orderId: 'o-1' }), sqsRecordFactory({})], {
      schema,
      quarantine: q.quarantine,
      logger: log.logger,
    });

    // Assess
    expect(outcome.valid.map((r) => r.data)).toEqual([{ orderId: 'o-1' }]);
    expect(q.kept[0]?.issues[0]?.field).toBe('orderId');
  });

  it('names the source given in its options instead of the queue', async () => {
    // Act
    await validateSqsRecords([sqsRecordFactory('nope')], { schema: order, quarantine: q.quarantine, logger: log.logger, source: 'directory-feed' });

    // Assess
    expect(q.kept[0]?.source).toBe('directory-feed');
  });

  it('refuses, as a programming error, a schema that validates asynchronously', async () => {
    // Prepare
    const asyncSchema: StandardSchemaV1<unknown, unknown> = { '~standard': { version: 1, vendor: 'slow', validate: async (value) => ({ value }) } };

    // Act + Assess
    await expect(validateSqsRecords([sqsRecordFactory({})], { schema: asyncSchema, quarantine: q.quarantine })).rejects.toThrow(TypeError);
  });
});

describe('maskFieldNames', () => {
  it('shows the contract\'s names, array indexes and root names, and masks a long number a producer chose as a key', () => {
    // Act
    const masked = maskFieldNames(
      [
        { field: 'items.3.itemId', rule: 'is required' },
        { field: '(body)', rule: 'must be valid JSON' },
        { field: '4915112345678', rule: 'is not a field' },
      ],
      new Set(['items', 'itemId']),
    );

    // Assess
    expect(masked.map((i) => i.field)).toEqual(['items.3.itemId', '(body)', '[unknown field]']);
  });
});
