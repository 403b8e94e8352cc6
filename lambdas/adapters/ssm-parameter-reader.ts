import { awsJsonCall, type AwsJsonCallOptions } from '../commons/clients/aws-json-call';
import { AwsCallError, ParameterReadError } from '../commons/errors';

/** Reads the value of one SSM parameter; throws {@link ParameterReadError} when it cannot. */
export type ReadParameter = (name: string) => Promise<string>;

/** Options for {@link ssmParameterReader}; each defaults to what Lambda's environment gives (endpoint: `AWS_ENDPOINT_URL_SSM`). */
export type SsmParameterReaderOptions = AwsJsonCallOptions;

/**
 * `AmazonSSM.GetParameter` as one signed AWS JSON 1.1 call ({@link awsJsonCall}), instead of
 * `SSMClient`, which adds 80 KB to a function bundle for one read every few seconds.
 *
 * @example
 * const read = ssmParameterReader();
 * await read('/registry-notices/sending-paused'); // 'false'
 */
export function ssmParameterReader(options: SsmParameterReaderOptions = {}): ReadParameter {
  const call = awsJsonCall({ service: 'ssm', targetPrefix: 'AmazonSSM', jsonVersion: '1.1' }, options);
  return async (name) => {
    let response: unknown;
    try {
      response = await call('GetParameter', { Name: name });
    } catch (error) {
      if (error instanceof AwsCallError) throw new ParameterReadError(name, error.code, error.retryable, { cause: error });
      throw error;
    }
    const value = (response as { Parameter?: { Value?: unknown } }).Parameter?.Value;
    if (typeof value !== 'string') throw new ParameterReadError(name, 'MalformedResponse', false);
    return value;
  };
}
