import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import { ParameterReadError } from './function-errors';
import { ssmClient } from './aws/ssm-client';

/** Reads the value of one SSM parameter; throws {@link ParameterReadError} when it cannot. */
export type ReadParameter = (name: string) => Promise<string>;

/**
 * `GetParameter` through the SDK's `SSMClient` (standard retries), its failures as a
 * {@link ParameterReadError} that names SSM's error code and whether trying again may help.
 *
 * @example
 * const read = ssmParameterReader(ssm);
 * await read('/registry-notices/sending-paused'); // 'false'
 */
export function ssmParameterReader(client: Pick<SSMClient, 'send'> = ssmClient()): ReadParameter {
  return async (name) => {
    let value: unknown;
    try {
      value = (await client.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (error) {
      throw new ParameterReadError(name, errorCode(error), isRetryable(error), { cause: error });
    }
    if (typeof value !== 'string') throw new ParameterReadError(name, 'MalformedResponse', false);
    return value;
  };
}

/** SSM's error code (`ParameterNotFound`), else `NetworkError` when no answer came. */
function errorCode(error: unknown): string {
  const status = (error as SdkError | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && error instanceof Error ? error.name : 'NetworkError';
}

/** Throttling, a 5xx, or no answer: a later read may work (as the SDK's retries judge them). */
function isRetryable(error: unknown): boolean {
  const e = error as SdkError;
  if (e?.$metadata?.httpStatusCode === undefined) return true;
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}
