import { RegistryNoticesError } from '../commons/errors';
import type { MessageIssue } from '../domain/contract-issues';

/** One broken rule of a request: the field and what it must be. */
export type RequestIssue = MessageIssue;

/** An operator request broke its contract; nothing was done. Answered 400 with every issue. */
export class InvalidRequestError extends RegistryNoticesError {
  readonly issues: readonly RequestIssue[];
  constructor(issues: readonly RequestIssue[], options?: ErrorOptions) {
    super(`invalid request: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`, options);
    this.name = 'InvalidRequestError';
    this.issues = issues;
  }
}

/** The request carries no IAM caller (the URL is not `AWS_IAM`, or the event was not a function URL's). Answered 403. */
export class NoCallerIdentityError extends RegistryNoticesError {
  constructor(options?: ErrorOptions) {
    super('the request has no IAM caller identity (requestContext.authorizer.iam); call the function URL with a SigV4-signed request', options);
    this.name = 'NoCallerIdentityError';
  }
}
