import { RegistryNoticesError } from '../platform/function-errors';

/** The request carries no IAM caller (the URL is not `AWS_IAM`, or the event was not a function URL's). Answered 403. */
export class NoCallerIdentityError extends RegistryNoticesError {
  override name = 'NoCallerIdentityError';

  constructor(options?: ErrorOptions) {
    super('the request has no IAM caller identity (requestContext.authorizer.iam); call the function URL with a SigV4-signed request', options);
  }
}
