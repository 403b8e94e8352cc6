import { fromEnv } from '@aws-sdk/credential-provider-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The function's DynamoDB client, created once per execution environment and reused across
 * invocations. One module per service, so a function bundles only the clients it imports.
 * Credentials from the environment, as Lambda sets them (see `env-credentials.ts`); the
 * endpoint from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB`, which is how the local stack
 * redirects it.
 */
export const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ credentials: fromEnv() }), {
  marshallOptions: { removeUndefinedValues: true },
});
