import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { personOf, type PersonRoles } from '../audit/person';
import { NoCallerIdentityError, NotViaFunctionUrlError } from './errors';

/** Who sent an operator request, as the function URL's IAM authorizer verified it. */
export interface OperatorCaller {
  /** The IAM ARN (`arn:aws:iam::…:user/alice`, `arn:aws:sts::…:assumed-role/Ops/alice`): recorded on declarations and approvals. */
  readonly arn: string;
  /** IAM's opaque id of the principal (`AIDA…`, `AROA…:session`): what the logs show. */
  readonly callerId: string;
  /** IAM's user id (`AIDA…`, `AROA…:session`): what S3 names an uploader by (a corrections import's), so the two can be compared. */
  readonly userId: string;
  /**
   * The person the caller is (`<account>/<name>`, src: `lambdas/audit/person.ts`), or undefined
   * for a session whose name the caller chose: such a caller may declare and look, but never be
   * one of the two people a campaign needs.
   */
  readonly person?: string;
}

/**
 * The caller of a function URL request with `AuthType: AWS_IAM`: Lambda puts the verified
 * signer in `requestContext.authorizer.iam`, so it cannot be forged by the request body.
 *
 * @throws NoCallerIdentityError when there is none
 * @example
 * callerOf(event, ['AWSReservedSSO_*']).arn // 'arn:aws:iam::123456789012:user/alice'
 */
export function callerOf(event: Pick<LambdaFunctionURLEventWithIAMAuthorizer, 'requestContext'>, personRoles: PersonRoles = []): OperatorCaller {
  const iam = (event.requestContext as Partial<LambdaFunctionURLEventWithIAMAuthorizer['requestContext']> | undefined)?.authorizer?.iam;
  if (typeof iam?.userArn !== 'string' || !iam.userArn.startsWith('arn:')) throw new NoCallerIdentityError();
  const person = personOf(iam.userArn, personRoles);
  return { arn: iam.userArn, callerId: String(iam.callerId ?? iam.userId ?? ''), userId: String(iam.userId ?? ''), ...(person ? { person } : {}) };
}

/**
 * Refuses an event that did not come through a function URL. A direct `lambda:Invoke` hands the
 * function whatever payload its caller wrote, and `requestContext.authorizer.iam` would then be
 * the caller's own words; a function URL's event (payload format 2.0) always has `version`
 * `2.0`, `routeKey` `$default`, a `requestContext` with `http`, `requestId`, `apiId`, a
 * `domainName` and a `timeEpoch`, and the IAM `accountId` equal to the context's. A payload
 * built to copy all of that exactly is not told apart here: only IAM stops it (the guard
 * statement, docs/operator.md, "Only through its URL").
 *
 * @throws NotViaFunctionUrlError naming what is missing
 * @example
 * assertViaFunctionUrl({ command: 'incident list' }) // throws: no version 2.0
 */
export function assertViaFunctionUrl(event: unknown): void {
  const e = (event ?? {}) as Record<string, unknown>;
  const context = (e.requestContext ?? {}) as Record<string, unknown>;
  const http = (context.http ?? {}) as Record<string, unknown>;
  const iam = ((context.authorizer ?? {}) as Record<string, unknown>).iam as Record<string, unknown> | undefined;
  const missing: string[] = [];
  if (e.version !== '2.0') missing.push('version 2.0');
  if (e.routeKey !== '$default') missing.push('routeKey $default');
  if (typeof http.method !== 'string' || typeof http.sourceIp !== 'string') missing.push('requestContext.http');
  for (const field of ['requestId', 'apiId', 'domainName'] as const) if (typeof context[field] !== 'string' || context[field] === '') missing.push(`requestContext.${field}`);
  if (typeof context.timeEpoch !== 'number') missing.push('requestContext.timeEpoch');
  if (iam !== undefined && iam.accountId !== context.accountId) missing.push('requestContext.accountId equal to the caller\'s');
  if (missing.length > 0) throw new NotViaFunctionUrlError(missing);
}
