import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmulatorEndpoints } from '../emulators';
import { LOCAL_CREDENTIALS } from '../emulators/local-aws';

/** SDK v3 clients for every service the local stack emulates. */
export interface SdkClients {
  readonly sqs: SQSClient;
  /** SNS, which the SQS emulator (fauxqs) serves on its own endpoint. */
  readonly sns: SNSClient;
  readonly ses: SESv2Client;
  readonly dynamodb: DynamoDBClient;
  /** Document client over `dynamodb`; drops `undefined` attributes instead of failing on them. */
  readonly documentClient: DynamoDBDocumentClient;
  readonly ssm: SSMClient;
  /** S3; locally the SQS emulator (fauxqs) serves it, path-style. */
  readonly s3: S3Client;
  readonly kms: KMSClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

type ClientConfig = { region?: string; credentials?: typeof LOCAL_CREDENTIALS; endpoint?: string; maxAttempts?: number };
type Service = keyof EmulatorEndpoints | 's3';

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
  return sdkClients((service) => ({
    region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    endpoint: service === 's3' ? s3Endpoint(endpoints) : endpoints[service],
  }));
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

/** Where S3 is locally: fauxqs serves it on the SQS emulator's endpoint. */
export function s3Endpoint(endpoints: EmulatorEndpoints): string {
  return endpoints.sqs;
}

function sdkClients(configOf: (service: Service) => ClientConfig): SdkClients {
  const sqs = new SQSClient(configOf('sqs'));
  const sns = new SNSClient(configOf('sqs'));
  const ses = new SESv2Client(configOf('ses'));
  const dynamodb = new DynamoDBClient(configOf('dynamodb'));
  const documentClient = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const ssm = new SSMClient(configOf('ssm'));
  const s3Config = configOf('s3');
  // Locally path-style: fauxqs serves buckets as http://127.0.0.1:<port>/<bucket>/<key>.
  const s3 = new S3Client({ ...s3Config, ...(s3Config.endpoint ? { forcePathStyle: true } : {}) });
  const kms = new KMSClient(configOf('kms'));
  return {
    sqs,
    sns,
    ses,
    dynamodb,
    documentClient,
    ssm,
    s3,
    kms,
    destroy: () => {
      for (const client of [sqs, sns, ses, documentClient, dynamodb, ssm, s3, kms]) client.destroy();
    },
  };
}
