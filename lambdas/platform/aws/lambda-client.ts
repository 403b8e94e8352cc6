import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { awsHttpHandler } from './http-options';

/**
 * A Lambda client as our functions use it (a synchronous `Invoke` of another function of the
 * stack: the operator's `apology preview`): the SDK's defaults with the house connection
 * timeout. The socket may stay quiet while the invoked function runs, so its timeout is longer
 * than the house one: past the invoked function's cold start and timeout (the preview's 10 s).
 *
 * @example
 * export const lambda = lambdaClient();
 */
export function lambdaClient(config: LambdaClientConfig = {}): LambdaClient {
  return new LambdaClient({ requestHandler: awsHttpHandler({ socketTimeoutMs: 30_000 }), ...config });
}
