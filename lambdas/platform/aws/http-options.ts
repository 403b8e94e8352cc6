import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The HTTP handler of our SDK clients (SES's wraps its own, see `ses-client.ts`): the SDK's
 * `NodeHttpHandler` with timeouts, so a hung connection cannot hold a batch until the
 * function's timeout (the SDK's defaults wait for ever). The SDK's retries then try again.
 *
 * @example
 * new SQSClient({ requestHandler: awsHttpHandler() });
 */
export function awsHttpHandler(options: { readonly connectionTimeoutMs?: number; readonly socketTimeoutMs?: number } = {}): NodeHttpHandler {
  return new NodeHttpHandler({ connectionTimeout: options.connectionTimeoutMs ?? 3000, socketTimeout: options.socketTimeoutMs ?? 10_000 });
}
