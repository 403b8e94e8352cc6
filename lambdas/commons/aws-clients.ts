import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Created once per container and reused across invocations. Endpoints come from the
// SDK's own AWS_ENDPOINT_URL_* variables, which is how the local stack redirects them.
export const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sesV2 = new SESv2Client({});
export const sqs = new SQSClient({});
export const ssm = new SSMClient({});
