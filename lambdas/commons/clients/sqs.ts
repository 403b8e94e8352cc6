import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SQSClient } from '@aws-sdk/client-sqs';

/** The function's SQS client, once per execution environment (see `dynamodb.ts` for why one module per service). */
export const sqs = new SQSClient({ credentials: fromEnv() });
