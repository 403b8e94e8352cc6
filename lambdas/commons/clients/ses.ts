import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SESv2Client } from '@aws-sdk/client-sesv2';

/** The function's SES v2 client, once per execution environment (see `dynamodb.ts` for why one module per service). */
export const sesV2 = new SESv2Client({ credentials: fromEnv() });
