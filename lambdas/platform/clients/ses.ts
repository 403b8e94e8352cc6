import { sesClient } from '../aws/ses-client';

/**
 * The function's SES v2 client (`SendEmail`, `GetAccount`), once per execution environment (see
 * `dynamodb.ts`). Its failures tell "certainly not sent" from "unknown", and it never resends
 * an attempt that may have reached SES (see `sesClient`).
 */
export const sesV2 = sesClient();
