import { dynamoDbClient } from '../aws/dynamodb-client';

/**
 * The function's DynamoDB client, created once per execution environment and reused across
 * invocations. One module per service, so a function bundles only the clients it imports.
 * The endpoint from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB`, which is how the local stack
 * redirects it. The adapters wrap it in a document client (`documentClientOf`).
 */
export const dynamoDb = dynamoDbClient();
