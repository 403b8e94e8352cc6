import { sesSendingClient } from '../../adapters/ses-sending-client';

/**
 * The function's SES v2 calls (`SendEmail`, `GetAccount`), once per execution environment (see
 * `dynamodb.ts` for why one module per service): signed by hand over REST, not `SESv2Client`
 * (60 KB). Credentials from the environment; endpoint from `AWS_ENDPOINT_URL_SESV2` locally.
 * Its failures tell "certainly not sent" from "unknown", and it never resends an attempt that
 * may have reached SES.
 */
export const sesV2 = sesSendingClient();
