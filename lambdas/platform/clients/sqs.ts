import { sqsClient } from '../aws/sqs-client';

/** The function's SQS client, once per execution environment (see `dynamodb.ts`). */
export const sqs = sqsClient();
