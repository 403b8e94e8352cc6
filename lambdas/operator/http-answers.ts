import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ApprovalConflictError,
  CampaignAwaitingApprovalError,
  CampaignFrozenError,
  CampaignNotFoundError,
  PlanInProgressError,
  IncidentExistsError,
  IncidentNotFoundError,
  InvalidIncidentError,
  SamePrincipalError,
  TwoPersonRuleError,
} from '../audit/errors';
import { InvalidEventError } from '../platform/function-errors';
import type { ValidationIssue } from '../platform/validation';
import { NoticeQueryError } from './notices/notice-query';
import { ApologyPreviewFailedError, ApologyPreviewUnavailableError, NoCallerIdentityError, NotViaFunctionUrlError, RevealNotPermittedError } from './errors';

/** The `error.code` of an operator endpoint's error answer. */
export const OperatorErrorCode = {
  /** 400: the request broke its contract; `issues` names each field and rule. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** 403: no IAM caller on the request. */
  NO_CALLER_IDENTITY: 'NO_CALLER_IDENTITY',
  /** 403: the event is no function URL's (a direct `lambda:Invoke`). */
  NOT_VIA_FUNCTION_URL: 'NOT_VIA_FUNCTION_URL',
  /** 403: two-person rule; the declarer may not approve a campaign above the threshold. */
  SAME_PRINCIPAL: 'SAME_PRINCIPAL',
  /**
   * 403: two-person rule; the caller may not approve this campaign: not a person, or it applied
   * the import a corrections campaign came from, or the incident's declarer names no person.
   * `issues` names the field and the rule (`APPROVER_NOT_A_PERSON: …`).
   */
  TWO_PERSON_RULE: 'TWO_PERSON_RULE',
  /**
   * 403: `notice show` with `reveal` by a caller who may not reveal: not a person, or not listed
   * in `operatorRevealerRoles`. `issues` names the field and the rule (`NOT_A_REVEALER: …`).
   */
  REVEAL_NOT_PERMITTED: 'REVEAL_NOT_PERMITTED',
  /** 404: no such incident, or no campaign planned yet. */
  NOT_FOUND: 'NOT_FOUND',
  /** 409: the incident exists, the plan changed or is frozen. */
  CONFLICT: 'CONFLICT',
  /** 409: the campaign's plan is still being made (dry run again to finish it). */
  PLAN_IN_PROGRESS: 'PLAN_IN_PROGRESS',
  /** 409: the campaign waits for approval. */
  AWAITING_APPROVAL: 'AWAITING_APPROVAL',
  /** 500: a bug or an outage; the request id finds it in the logs. */
  INTERNAL: 'INTERNAL',
  /** 502: `apology preview`: the preview function failed or answered no preview, or Lambda refused to invoke it; the message says which. */
  PREVIEW_FAILED: 'PREVIEW_FAILED',
  /** 503: `apology preview`: the preview function is throttled or could not be reached; try again. */
  PREVIEW_UNAVAILABLE: 'PREVIEW_UNAVAILABLE',
} as const;
export type OperatorErrorCode = (typeof OperatorErrorCode)[keyof typeof OperatorErrorCode];

/** The JSON body of every error answer. */
export interface OperatorErrorBody {
  readonly error: { readonly code: OperatorErrorCode; readonly message: string; readonly issues?: readonly ValidationIssue[] };
}

/** The JSON body of every success: the command's name and its result. */
export interface OperatorSuccessBody<R = unknown> {
  readonly command: string;
  readonly result: R;
}

/**
 * A JSON answer as a function URL returns it.
 *
 * @example
 * jsonAnswer(200, { command: 'incident list', result: [] })
 */
export function jsonAnswer(statusCode: number, body: OperatorSuccessBody | OperatorErrorBody): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Error classes the operator may cause, with their answer; anything else is a 500. */
const KNOWN: readonly (readonly [abstract new (...args: never[]) => Error, number, OperatorErrorCode])[] = [
  [InvalidEventError, 400, OperatorErrorCode.INVALID_REQUEST],
  [InvalidIncidentError, 400, OperatorErrorCode.INVALID_REQUEST],
  [NoticeQueryError, 400, OperatorErrorCode.INVALID_REQUEST],
  [NoCallerIdentityError, 403, OperatorErrorCode.NO_CALLER_IDENTITY],
  [NotViaFunctionUrlError, 403, OperatorErrorCode.NOT_VIA_FUNCTION_URL],
  [SamePrincipalError, 403, OperatorErrorCode.SAME_PRINCIPAL],
  [TwoPersonRuleError, 403, OperatorErrorCode.TWO_PERSON_RULE],
  [RevealNotPermittedError, 403, OperatorErrorCode.REVEAL_NOT_PERMITTED],
  [IncidentNotFoundError, 404, OperatorErrorCode.NOT_FOUND],
  [CampaignNotFoundError, 404, OperatorErrorCode.NOT_FOUND],
  [IncidentExistsError, 409, OperatorErrorCode.CONFLICT],
  [ApprovalConflictError, 409, OperatorErrorCode.CONFLICT],
  [CampaignFrozenError, 409, OperatorErrorCode.CONFLICT],
  [CampaignAwaitingApprovalError, 409, OperatorErrorCode.AWAITING_APPROVAL],
  [PlanInProgressError, 409, OperatorErrorCode.PLAN_IN_PROGRESS],
  [ApologyPreviewFailedError, 502, OperatorErrorCode.PREVIEW_FAILED],
  [ApologyPreviewUnavailableError, 503, OperatorErrorCode.PREVIEW_UNAVAILABLE],
];

/**
 * The answer to a failed request: a known error's status, code, message and issues; for
 * anything else a 500 that names only the request id (the log has the rest).
 *
 * @example
 * errorAnswer(new IncidentNotFoundError('inc-x'), 'req-1').statusCode // 404
 */
export function errorAnswer(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 & { readonly known: boolean } {
  const known = KNOWN.find(([type]) => error instanceof type);
  if (!known) {
    return { ...jsonAnswer(500, { error: { code: OperatorErrorCode.INTERNAL, message: `internal error; request id ${requestId}` } }), known: false };
  }
  const [, status, code] = known;
  const issues =
    error instanceof InvalidEventError
      ? error.issues
      : error instanceof InvalidIncidentError
        ? error.problems.map(problemIssue)
        : error instanceof TwoPersonRuleError
          ? [{ field: error.field, rule: `${error.rule}: ${error.reason}` }]
          : error instanceof RevealNotPermittedError
            ? [{ field: 'caller', rule: `${error.rule}: ${error.reason}` }]
            : undefined;
  return { ...jsonAnswer(status, { error: { code, message: (error as Error).message, ...(issues ? { issues } : {}) } }), known: true };
}

/** `"window: give both --from and --to"` → `{ field: 'window', rule: 'give both …' }`. */
function problemIssue(problem: string): ValidationIssue {
  const at = problem.indexOf(': ');
  return at < 0 ? { field: '(body)', rule: problem } : { field: problem.slice(0, at), rule: problem.slice(at + 2) };
}
