import { describe, expect, it } from 'vitest';
import { REKEY_REQUEST_FIELDS, rekeyRequestSchema } from '../../lambdas/directory/rekey/rekey-request';
import { InvalidEventError } from '../../lambdas/platform/function-errors';
import { parseEvent } from '../../lambdas/platform/middleware/event-validation';

const parse = (event: unknown) => parseEvent(event, { schema: rekeyRequestSchema, rootField: '(request)', knownFields: REKEY_REQUEST_FIELDS });

describe('the re-keying request contract', () => {
  it('reads a table, a cursor and a page size; the page size defaults to 100', () => {
    // Act
    const first = parse({ table: 'customers' });
    const next = parse({ table: 'ledger', cursor: 'eyJub3RpY2VJZCI6ImV2dCMxIn0', pageSize: 500 });

    // Assess
    expect(first).toEqual({ table: 'customers', pageSize: 100 });
    expect(next).toEqual({ table: 'ledger', cursor: 'eyJub3RpY2VJZCI6ImV2dCMxIn0', pageSize: 500 });
  });

  it.each([
    ['another table', { table: 'suppressions' }, 'table: must be one of customers, history, ledger'],
    ['no table', {}, 'table'],
    ['a page too large', { table: 'history', pageSize: 5000 }, 'pageSize: must be at most 1000'],
    ['a cursor that is not base64url', { table: 'history', cursor: 'a b' }, 'cursor: must be base64url'],
    ['an unknown field', { table: 'history', dryRun: true }, '(request)'],
  ])('refuses %s, naming the field and the rule', (_what, event, message) => {
    // Act
    const act = () => parse(event);

    // Assess
    expect(act).toThrow(InvalidEventError);
    expect(act).toThrow(message);
  });
});
