import middy from '@middy/core';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { lambdaContextFactory } from '../../../../test/support/lambda-context';
import { InvalidEventError } from '../../function-errors';
import { contractObject } from '../../contract-schema';
import { eventValidationMiddleware, parseEvent } from './index';

const runEvent = z.strictObject({ kind: z.literal('RUN'), limit: z.optional(z.number().check(z.lte(10, { error: 'must be at most 10' }))) });

describe('eventValidationMiddleware', () => {
  const handler = middy()
    .use(eventValidationMiddleware({ schema: runEvent, knownFields: new Set(['kind', 'limit']) }))
    .handler(async (event) => ({ got: event }));
  const invoke = (event: unknown) => (handler as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, lambdaContextFactory());

  it('hands the handler the parsed event', async () => {
    expect(await invoke({ kind: 'RUN', limit: 3 })).toEqual({ got: { kind: 'RUN', limit: 3 } });
  });

  it('fails the invocation with every broken rule, and the handler never runs', async () => {
    // Act
    const failure = invoke({ kind: 'DROP', limit: 11 });

    // Assess
    await expect(failure).rejects.toBeInstanceOf(InvalidEventError);
    await expect(failure).rejects.toMatchObject({
      issues: [
        { field: 'kind', rule: expect.any(String) },
        { field: 'limit', rule: 'must be at most 10' },
      ],
    });
  });

  it('names the event itself when it is not an object at all', () => {
    expect(() => parseEvent('run', { schema: runEvent })).toThrow(/\(event\): /);
  });

  it("masks a caller's own field names in the error, which Lambda logs", () => {
    // Act
    const contract = contractObject({ kind: z.literal('RUN') }, 'the run event');
    let error: unknown;
    try {
      parseEvent({ kind: 'RUN', 'Ann Smith': 1 }, { schema: contract, knownFields: new Set(['kind']) });
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toEqual([{ field: '[unknown field]', rule: 'is not a field of the run event' }]);
    expect((error as Error).message).toBe('invalid event: [unknown field]: is not a field of the run event');
  });
});
