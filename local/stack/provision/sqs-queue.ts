import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ProvisioningError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::SQS::Queue';
const NO_ENCRYPTION = 'the SQS emulator does not encrypt at rest';
/** Properties that are queue attributes of the same name, as text. */
const PLAIN_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
];
/** Properties that are queue attributes of the same name, as JSON text. */
const JSON_ATTRIBUTES = ['RedrivePolicy', 'RedriveAllowPolicy'];

/** What creating a queue needs. */
export interface CreateQueueInput extends ResourceToCreate {
  readonly client: SQSClient;
  /** The SQS emulator's endpoint; queue URLs are returned on it (see below). */
  readonly endpoint: string;
}

/**
 * Creates an `AWS::SQS::Queue` in the SQS emulator with the template's attributes:
 * visibility timeout, retention, delay, maximum size, long-poll wait, FIFO settings,
 * redrive policy (to the DLQ by ARN) and redrive-allow policy.
 *
 * The URL returned (and given to `Ref`) is on the emulator's endpoint itself
 * (`http://127.0.0.1:<port>/000000000000/<name>`): fauxqs's own URLs use
 * `sqs.<region>.localhost`, which Node cannot resolve, and the AWS SDK sends a request
 * to the QueueUrl's host.
 *
 * @example
 * const queue = await createQueue({ logicalId: 'Dlq', stackName: 'S', properties: {}, client, endpoint });
 * queue.outputs.ref // 'http://127.0.0.1:4566/000000000000/S-Dlq'
 */
export async function createQueue(input: CreateQueueInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['QueueName', 'FifoQueue', ...PLAIN_ATTRIBUTES, ...JSON_ATTRIBUTES],
    ignored: {
      KmsMasterKeyId: NO_ENCRYPTION,
      KmsDataKeyReusePeriodSeconds: NO_ENCRYPTION,
      SqsManagedSseEnabled: NO_ENCRYPTION,
      Tags: 'tags are not needed locally',
    },
  });
  const fifo = p.FifoQueue === true || p.FifoQueue === 'true';
  const name = localPhysicalName(input.stackName, logicalId, {
    maxLength: 80,
    prefix: input.namePrefix,
    explicitName: typeof p.QueueName === 'string' ? p.QueueName : undefined,
    suffix: fifo ? '.fifo' : undefined,
  });

  const attributes: Record<string, string> = {};
  for (const key of PLAIN_ATTRIBUTES) {
    if (p[key] !== undefined) attributes[key] = String(p[key]);
  }
  if (fifo) attributes.FifoQueue = 'true';
  for (const key of JSON_ATTRIBUTES) {
    if (p[key] !== undefined) attributes[key] = typeof p[key] === 'string' ? p[key] : JSON.stringify(p[key]);
  }

  try {
    const created = await input.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const url = onEndpoint(created.QueueUrl ?? '', input.endpoint);
    const read = await input.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const arn = read.Attributes?.QueueArn;
    if (!arn) throw new Error('the emulator returned no QueueArn');
    return { notes, outputs: { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } } };
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
}

/** The same queue path on the emulator's own endpoint. */
function onEndpoint(queueUrl: string, endpoint: string): string {
  const { pathname } = new URL(queueUrl);
  return `${endpoint.replace(/\/+$/, '')}${pathname}`;
}
