import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { NoCallerIdentityError } from './errors';

/** Who sent an operator request, as the function URL's IAM authorizer verified it. */
export interface OperatorCaller {
  /** The IAM ARN (`arn:aws:iam::…:user/alice`, `arn:aws:sts::…:assumed-role/Ops/alice`): recorded on declarations and approvals. */
  readonly arn: string;
  /** IAM's opaque id of the principal (`AIDA…`, `AROA…:session`): what the logs show. */
  readonly callerId: string;
}

/**
 * The caller of a function URL request with `AuthType: AWS_IAM`: Lambda puts the verified
 * signer in `requestContext.authorizer.iam`, so it cannot be forged by the request body.
 *
 * @throws NoCallerIdentityError when there is none
 * @example
 * callerOf(event).arn // 'arn:aws:iam::123456789012:user/alice'
 */
export function callerOf(event: Pick<LambdaFunctionURLEventWithIAMAuthorizer, 'requestContext'>): OperatorCaller {
  const iam = (event.requestContext as Partial<LambdaFunctionURLEventWithIAMAuthorizer['requestContext']> | undefined)?.authorizer?.iam;
  if (typeof iam?.userArn !== 'string' || !iam.userArn.startsWith('arn:')) throw new NoCallerIdentityError();
  return { arn: iam.userArn, callerId: String(iam.callerId ?? iam.userId ?? '') };
}
