import { lazyAwsJsonCall, type AwsJsonCall } from './aws-json-call';

/**
 * The function's KMS calls (`GenerateMac`, `VerifyMac` of the unsubscribe link key), over
 * KMS's JSON protocol by hand instead of the 27 KB `KMSClient` (see `aws-json-call.ts`).
 * Credentials from the environment; the endpoint from `AWS_ENDPOINT_URL_KMS`, which is how the
 * local stack points it at its emulator. Its own module, so only the functions that sign or
 * check unsubscribe tokens bundle it.
 */
export const kms: AwsJsonCall = lazyAwsJsonCall({ service: 'kms', targetPrefix: 'TrentService', jsonVersion: '1.1' });
