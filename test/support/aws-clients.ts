import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { LOCAL_AWS_REGION, type EmulatorEndpoints } from '../../local/emulators';

/** SDK clients pointed at the emulators of this test run. */
export interface AwsClients {
  sqs: SQSClient;
  ses: SESv2Client;
  dynamodb: DynamoDBClient;
  /** Document client over `dynamodb`; drops `undefined` attributes instead of failing on them. */
  documentClient: DynamoDBDocumentClient;
  ssm: SSMClient;
  /** Closes every client's connections (call in `afterAll`). */
  destroy(): void;
}

/** Clients for the emulators; endpoints default to the ones the global setup provides. */
export function createAwsClients(endpoints: EmulatorEndpoints = inject('emulatorEndpoints')): AwsClients {
  // Explicit endpoint, region and dummy credentials: no dependence on the ambient env or ~/.aws.
  const common = {
    region: LOCAL_AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
  const ses = new SESv2Client({ ...common, endpoint: endpoints.ses });
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  const documentClient = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const ssm = new SSMClient({ ...common, endpoint: endpoints.ssm });
  return {
    sqs,
    ses,
    dynamodb,
    documentClient,
    ssm,
    destroy() {
      for (const client of [sqs, ses, documentClient, dynamodb, ssm]) client.destroy();
    },
  };
}
