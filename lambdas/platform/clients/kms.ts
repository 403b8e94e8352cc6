import { kmsClient } from '../aws/kms-client';

/**
 * The function's KMS client (`GenerateMac`, `VerifyMac` of the unsubscribe link key), once per
 * execution environment (see `dynamodb.ts`). Its own module, so only the functions that sign
 * or check unsubscribe tokens bundle it.
 */
export const kms = kmsClient();
