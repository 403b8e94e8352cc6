import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { awsHttpHandler } from './http-options';

/**
 * An SQS client as our functions use it: the SDK's defaults (it checks the MD5 of what SQS
 * stored, and sends to the queue URL's host) with the house HTTP timeouts.
 *
 * @example
 * export const sqs = sqsClient();
 */
export function sqsClient(config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ requestHandler: awsHttpHandler(), ...config });
}
