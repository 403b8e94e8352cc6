import { SqsJsonClient } from './sqs-json-client';

/**
 * The function's SQS sender, once per execution environment (see `dynamodb.ts` for why one
 * module per service): SQS's JSON protocol by hand, not `SQSClient` (see `sqs-json-client.ts`).
 */
export const sqs = new SqsJsonClient();
