import { fromEnv } from '@aws-sdk/credential-provider-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The function's DynamoDB client, created once per execution environment and reused across
 * invocations. One module per service, so a function bundles only the clients it imports.
 * Credentials from the environment, as Lambda sets them (see `env-credentials.ts`); the
 * endpoint from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB`, which is how the local stack
 * redirects it. The audit's adapters wrap it in a document client (`documentClientOf`).
 */
export const dynamoDb = new DynamoDBClient({ credentials: fromEnv() });
