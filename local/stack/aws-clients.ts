import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmulatorEndpoints } from '../emulators';
import { LOCAL_CREDENTIALS } from '../emulators/local-aws';

/** SDK clients for the services registry-notices uses. */
export interface SdkClients {
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
  readonly dynamodb: DynamoDBClient;
  /** Document client over `dynamodb`; drops `undefined` attributes instead of failing on them. */
  readonly documentClient: DynamoDBDocumentClient;
  readonly ssm: SSMClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

type ClientConfig = { region?: string; credentials?: typeof LOCAL_CREDENTIALS; endpoint?: string; maxAttempts?: number };

/**
 * Clients for the emulators at `endpoints`, in `region`: explicit endpoint, region, dummy
 * credentials and retries, so nothing depends on the ambient env or `~/.aws`.
 *
 * @example
 * const clients = localClients(running.endpoints, 'us-east-1');
 * await clients.sqs.send(new ListQueuesCommand({}));
 * clients.destroy();
 */
export function localClients(endpoints: EmulatorEndpoints, region: string): SdkClients {
  return sdkClients((service) => ({ region, credentials: LOCAL_CREDENTIALS, maxAttempts: 3, endpoint: endpoints[service] }));
}

/**
 * Clients for a deployed stack: the SDK's usual credential and region chain (AWS_PROFILE, AWS_REGION).
 *
 * @example
 * const clients = awsClients();
 */
export function awsClients(): SdkClients {
  return sdkClients(() => ({}));
}

function sdkClients(configOf: (service: keyof EmulatorEndpoints) => ClientConfig): SdkClients {
  const sqs = new SQSClient(configOf('sqs'));
  const ses = new SESv2Client(configOf('ses'));
  const dynamodb = new DynamoDBClient(configOf('dynamodb'));
  const documentClient = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const ssm = new SSMClient(configOf('ssm'));
  return {
    sqs,
    ses,
    dynamodb,
    documentClient,
    ssm,
    destroy: () => {
      for (const client of [sqs, ses, documentClient, dynamodb, ssm]) client.destroy();
    },
  };
}
