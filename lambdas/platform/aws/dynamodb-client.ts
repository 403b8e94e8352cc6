import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { awsHttpHandler } from './http-options';

/**
 * A DynamoDB client as our functions use it: the SDK's defaults (region, credentials and
 * `AWS_ENDPOINT_URL_DYNAMODB` from the environment, standard retries) with the house HTTP
 * timeouts. `config` overrides any of it (tests point it at DynamoDB Local).
 *
 * @example
 * export const dynamoDb = dynamoDbClient();
 */
export function dynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: awsHttpHandler(), ...config });
}
