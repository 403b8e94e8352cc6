import { fromEnv } from '@aws-sdk/credential-provider-env';
import { sesSendingClient } from '../../adapters/ses-sending-client';

/**
 * The function's SES v2 client, once per execution environment (see `dynamodb.ts` for why one
 * module per service). It sends mail: its failures tell "certainly not sent" from "unknown",
 * and it never resends an attempt that may have reached SES.
 */
export const sesV2 = sesSendingClient({ credentials: fromEnv() });
