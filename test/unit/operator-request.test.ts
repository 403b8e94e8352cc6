import { describe, expect, it } from 'vitest';
import { CampaignNotFoundError, SamePrincipalError } from '../../lambdas/audit/errors';
import { OPERATOR_COMMAND_LIST } from '../../lambdas/operator/commands';
import { InvalidEventError } from '../../lambdas/platform/function-errors';
import { parseEvent } from '../../lambdas/platform/middleware/event-validation';
import { errorAnswer } from '../../lambdas/operator/http-answers';
import { operatorFieldNames, operatorRequestSchema, type OperatorEvent } from '../../lambdas/operator/request-validation';
import { assertViaFunctionUrl, callerOf } from '../../lambdas/operator/caller';
import { NotViaFunctionUrlError, RevealNotPermittedError } from '../../lambdas/operator/errors';
import { DEFAULT_PERSON_ROLES, personOf } from '../../lambdas/audit/person';
import { MAX_VALIDATION_ISSUES } from '../../lambdas/platform/validation';
import { functionUrlEventFactory } from '../helpers/factories';

const options = { schema: operatorRequestSchema(OPERATOR_COMMAND_LIST), rootField: '(body)', knownFields: operatorFieldNames(OPERATOR_COMMAND_LIST) };

/** The request as the operator function's validation middleware reads it from a function URL event. */
function parse(body: unknown, base64 = false): OperatorEvent {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const event = { ...functionUrlEventFactory(text, 'alice'), body: base64 ? Buffer.from(text).toString('base64') : text, isBase64Encoded: base64 };
  return parseEvent(event, options);
}

function issuesOf(body: unknown): unknown {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.issues;
    throw error;
  }
  return [];
}

describe('operator request validation', () => {
  it('takes a valid request and hands the command its arguments', () => {
    // Act
    const event = parse('{"command":"campaign run","incidentId":"inc-legacy","maxSeconds":20}');

    // Assess
    expect(event.operatorRequest.command.name).toBe('campaign run');
    expect(event.operatorRequest.args).toEqual({ incidentId: 'inc-legacy', maxSeconds: 20 });
    expect(event.requestContext.authorizer.iam.userArn).toBe('arn:aws:iam::000000000000:user/alice');
  });

  it('reads a base64 body as Lambda passes a binary one', () => {
    expect(parse('{"command":"incident list"}', true).operatorRequest.command.name).toBe('incident list');
  });

  it('names each field and rule, all at once; a field name outside the contract is masked (the error is logged)', () => {
    expect(issuesOf({ command: 'import', lines: [], firstLine: 0.5, 'Ann Smith': 1 })).toEqual([
      { field: 'lines', rule: 'must hold at least one line' },
      { field: 'firstLine', rule: 'must be an integer' },
      { field: '[unknown field]', rule: 'is not a field of "import"' },
    ]);
    expect(issuesOf({ command: 'campaign status', incidentId: 'inc-1', plan: 'x' })).toEqual([{ field: 'plan', rule: 'is not a field of "campaign status"' }]);
    expect(issuesOf({ command: 'incident declare' })).toEqual([{ field: 'description', rule: 'is required' }]);
    expect(issuesOf({ command: 'campaign approve', incidentId: 7 })).toEqual([{ field: 'incidentId', rule: 'must be a string' }]);
  });

  it('refuses a body that is not a JSON object with a known command', () => {
    expect(issuesOf('')).toEqual([{ field: '(body)', rule: 'must be a JSON object with a "command" field' }]);
    expect(issuesOf('[1]')).toEqual([{ field: '(body)', rule: 'must be a JSON object' }]);
    expect(issuesOf({ incidentId: 'inc-1' })).toEqual([{ field: 'command', rule: 'is required' }]);
    expect(issuesOf({ command: 'notice delete' })).toEqual([{ field: 'command', rule: expect.stringMatching(/^must be one of: import, incident declare, incident list, campaign dry-run/) }]);
  });

  it('takes notices and apologies to resolve by the ids notice uncertain lists, and names a bad one', () => {
    // Prepare
    const hash = 'a'.repeat(64);

    // Act
    const event = parse({ command: 'notice resolve', noticeIds: ['evt#demo-013'], apologyIds: [`inc-legacy/${hash}`] });

    // Assess
    expect(event.operatorRequest.args).toEqual({ noticeIds: ['evt#demo-013'], apologyIds: [`inc-legacy/${hash}`] });
    expect(issuesOf({ command: 'notice resolve', apologyIds: ['inc-legacy/abc'] })).toEqual([
      { field: 'apologyIds.0', rule: 'must be an apology as notice uncertain lists it (<incidentId>/<addressHash>)' },
    ]);
    expect(issuesOf({ command: 'notice resolve' })).toEqual([{ field: 'noticeIds', rule: 'must name at least one notice or apology' }]);
  });

  it('asks a reason of every reveal, at most 500 characters, and takes none without one', () => {
    // Act
    const event = parse({ command: 'notice show', query: 'demo-013', reveal: true, reason: 'owner asked (ticket 4711)' });

    // Assess
    expect(event.operatorRequest.args).toEqual({ query: 'demo-013', reveal: true, reason: 'owner asked (ticket 4711)' });
    expect(issuesOf({ command: 'notice show', query: 'demo-013', reveal: true })).toEqual([
      { field: 'reason', rule: expect.stringMatching(/^is required with reveal: true: why you need the address in the clear \(1-500 characters\)/) },
    ]);
    expect(issuesOf({ command: 'notice show', query: 'demo-013', reveal: true, reason: 'x'.repeat(501) })).toEqual([{ field: 'reason', rule: 'must be at most 500 characters' }]);
    expect(issuesOf({ command: 'notice show', query: 'demo-013', reveal: true, reason: '  ' })).toEqual([
      { field: 'reason', rule: 'must not be blank: say why you need the address in the clear' },
    ]);
    expect(issuesOf({ command: 'notice show', query: 'demo-013', reason: 'curious' })).toEqual([{ field: 'reason', rule: 'goes only with reveal: true' }]);
    expect(issuesOf({ command: 'notice show', query: 'demo-013' })).toEqual([]);
  });

  it('refuses more lines per request than a page may hold', () => {
    expect(issuesOf({ command: 'import', lines: Array.from({ length: 5001 }, () => '{}') })).toEqual([
      { field: 'lines', rule: 'must hold at most 5000 lines (send more pages)' },
    ]);
  });
});

describe('operator answers and caller', () => {
  it('maps refusals to their HTTP status and code, and hides what a bug says', () => {
    // Act
    const same = errorAnswer(new SamePrincipalError('inc-1'), 'req-1');
    const missing = errorAnswer(new CampaignNotFoundError('inc-1'), 'req-1');
    const bug = errorAnswer(new TypeError('x is undefined at secret.ts:3'), 'req-1');
    const reveal = errorAnswer(new RevealNotPermittedError('NOT_A_REVEALER', 'not listed'), 'req-1');

    // Assess
    expect(same.statusCode).toBe(403);
    expect(JSON.parse(same.body!)).toMatchObject({ error: { code: 'SAME_PRINCIPAL' } });
    expect(missing.statusCode).toBe(404);
    expect(bug.statusCode).toBe(500);
    expect(reveal.statusCode).toBe(403);
    expect(JSON.parse(reveal.body!)).toMatchObject({ error: { code: 'REVEAL_NOT_PERMITTED', issues: [{ field: 'caller', rule: 'NOT_A_REVEALER: not listed' }] } });
    expect(JSON.parse(bug.body!)).toEqual({ error: { code: 'INTERNAL', message: 'internal error; request id req-1' } });
  });

  it('takes the caller from requestContext.authorizer.iam and nowhere else', () => {
    // Prepare
    const signed = functionUrlEventFactory({ command: 'incident list', userArn: 'arn:aws:iam::1:user/forged' }, 'bob');
    const anonymous = functionUrlEventFactory({ command: 'incident list' });

    // Act, Assess
    expect(callerOf(signed).arn).toBe('arn:aws:iam::000000000000:user/bob');
    expect(() => callerOf(anonymous)).toThrow('no IAM caller identity');
  });
});

describe('operator trust boundaries', () => {
  it('refuses an event that did not come through the function URL, and takes one that did', () => {
    // Prepare: a direct lambda:Invoke payload forging the IAM caller.
    const direct = { body: '{"command":"incident list"}', requestContext: { authorizer: { iam: { userArn: 'arn:aws:iam::000000000000:user/bob', accountId: '000000000000' } } } };

    // Act, Assess
    expect(() => assertViaFunctionUrl(direct)).toThrow(NotViaFunctionUrlError);
    expect(() => assertViaFunctionUrl(direct)).toThrow(/version 2\.0.*requestContext\.http/);
    expect(errorAnswer(new NotViaFunctionUrlError(['version 2.0']), 'req-1').statusCode).toBe(403);
    expect(() => assertViaFunctionUrl(functionUrlEventFactory({ command: 'incident list' }, 'alice'))).not.toThrow();
  });

  it('caps a request\'s issues at 100, the last one counting the rest', () => {
    // Prepare: 5,000 unknown fields.
    const body: Record<string, unknown> = { command: 'incident list' };
    for (let i = 0; i < 5000; i += 1) body[`junk${i}`] = i;

    // Act
    const issues = issuesOf(body) as { field: string; rule: string }[];

    // Assess
    expect(issues).toHaveLength(MAX_VALIDATION_ISSUES);
    expect(issues[0]).toEqual({ field: '[unknown field]', rule: 'is not a field of "incident list"' });
    expect(issues.at(-1)).toEqual({ field: '(body)', rule: 'has 4901 more broken rules not listed (at most 100 issues are)' });
  });

  it('names a person only where the caller cannot choose the name', () => {
    const roles = DEFAULT_PERSON_ROLES;
    expect(personOf('arn:aws:iam::123456789012:user/ops/Alice', roles)).toBe('123456789012/alice');
    expect(personOf('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Ops_1a2b/bob@example.com', roles)).toBe('123456789012/bob@example.com');
    // The session-name trick: one role, two session names the caller picked, names nobody.
    expect(personOf('arn:aws:sts::123456789012:assumed-role/Ops/a', roles)).toBeUndefined();
    expect(personOf('arn:aws:sts::123456789012:assumed-role/Ops/b', roles)).toBeUndefined();
    expect(personOf('arn:aws:sts::123456789012:assumed-role/Ops/alice', ['Ops'])).toBe('123456789012/alice');
    expect(personOf('arn:aws:sts::123456789012:federated-user/alice', roles)).toBeUndefined();
    expect(callerOf(functionUrlEventFactory({ command: 'incident list' }, 'alice')).person).toBe('000000000000/alice');
    expect(callerOf(functionUrlEventFactory({ command: 'incident list' }, 'bob')).person).toBe('000000000000/bob');
  });
});
