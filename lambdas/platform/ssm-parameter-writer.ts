import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ssmClient } from './aws/ssm-client';

/** Sets the value of an existing SSM parameter. */
export type WriteParameter = (name: string, value: string) => Promise<void>;

/**
 * `PutParameter` with `Overwrite` through the SDK's `SSMClient` (standard retries): the
 * parameter keeps its type, description and allowed pattern (SSM refuses a value outside it).
 * Only the operator function writes a parameter: the kill switch (`sending pause|resume`).
 *
 * @example
 * await ssmParameterWriter(ssm)('/registry-notices/sending-paused', 'true');
 */
export function ssmParameterWriter(client: Pick<SSMClient, 'send'> = ssmClient()): WriteParameter {
  return async (name, value) => {
    await client.send(new PutParameterCommand({ Name: name, Value: value, Overwrite: true }));
  };
}
