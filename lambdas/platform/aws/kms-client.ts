import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { awsHttpHandler } from './http-options';

/**
 * A KMS client as our functions use it (`GenerateMac`, `VerifyMac` of the unsubscribe link
 * key): the SDK's defaults with the house HTTP timeouts.
 *
 * @example
 * export const kms = kmsClient();
 */
export function kmsClient(config: KMSClientConfig = {}): KMSClient {
  return new KMSClient({ requestHandler: awsHttpHandler(), ...config });
}
