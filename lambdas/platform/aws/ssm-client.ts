import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { awsHttpHandler } from './http-options';

/**
 * An SSM client as our functions use it (`GetParameter` of the kill switch): the SDK's
 * defaults with the house HTTP timeouts.
 *
 * @example
 * export const ssm = ssmClient();
 */
export function ssmClient(config: SSMClientConfig = {}): SSMClient {
  return new SSMClient({ requestHandler: awsHttpHandler(), ...config });
}
