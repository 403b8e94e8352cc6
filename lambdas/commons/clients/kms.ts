import { fromEnv } from '@aws-sdk/credential-provider-env';
import { KMSClient } from '@aws-sdk/client-kms';

/**
 * The function's KMS client, created once per execution environment. Its own module, so
 * only the functions that sign or check unsubscribe tokens bundle it; credentials from the
 * environment (see `env-credentials.ts`); the endpoint from the SDK's `AWS_ENDPOINT_URL_KMS`,
 * which is how the local stack points it at its emulator.
 */
export const kms = new KMSClient({ credentials: fromEnv() });
