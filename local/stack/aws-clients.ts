import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { LOCAL_CREDENTIALS, type ServiceEndpoints } from './endpoints';

/** SDK clients pointed at the emulators. */
export interface LocalClients {
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly ssm: SSMClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/**
 * Creates SDK clients for the emulators at `endpoints`, in `region`, with dummy credentials.
 *
 * @example
 * const clients = localClients(running.endpoints, 'us-east-1');
 * await clients.sqs.send(new ListQueuesCommand({}));
 * clients.destroy();
 */
export function localClients(endpoints: ServiceEndpoints, region: string): LocalClients {
  const common = { region, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  const ssm = new SSMClient({ ...common, endpoint: endpoints.ssm });
  return {
    sqs,
    dynamodb,
    ssm,
    destroy: () => {
      sqs.destroy();
      dynamodb.destroy();
      ssm.destroy();
    },
  };
}
