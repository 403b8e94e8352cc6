import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { resourceName } from '../template/physical-names';
import { isTrue, NO_TAGS, type Provisioner } from './provisioner';

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
 * const queue = await provision(SQS_QUEUE, { logicalId: 'Dlq', type: 'AWS::SQS::Queue', stackName: 'S', properties: {} }, target);
 * queue.outputs.ref // 'http://127.0.0.1:4566/000000000000/S-Dlq'
 */
export const SQS_QUEUE: Provisioner = {
  properties: {
    applied: ['QueueName', 'FifoQueue', ...PLAIN_ATTRIBUTES, ...JSON_ATTRIBUTES],
    ignored: {
      KmsMasterKeyId: NO_ENCRYPTION,
      KmsDataKeyReusePeriodSeconds: NO_ENCRYPTION,
      SqsManagedSseEnabled: NO_ENCRYPTION,
      Tags: NO_TAGS,
    },
  },
  async create(resource, { clients, endpoints }) {
    const p = resource.properties;
    const fifo = isTrue(p.FifoQueue);
    const name = resourceName(resource, 'QueueName', { maxLength: 80, suffix: fifo ? '.fifo' : undefined });
    const attributes: Record<string, string> = {};
    for (const key of PLAIN_ATTRIBUTES) {
      if (p[key] !== undefined) attributes[key] = String(p[key]);
    }
    if (fifo) attributes.FifoQueue = 'true';
    for (const key of JSON_ATTRIBUTES) {
      if (p[key] !== undefined) attributes[key] = typeof p[key] === 'string' ? p[key] : JSON.stringify(p[key]);
    }
    const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const url = onEndpoint(created.QueueUrl ?? '', endpoints.sqs);
    const read = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const arn = read.Attributes?.QueueArn;
    if (!arn) throw new Error('the emulator returned no QueueArn');
    return { outputs: { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } } };
  },
};

/** The same queue path on the emulator's own endpoint. */
function onEndpoint(queueUrl: string, endpoint: string): string {
  const { pathname } = new URL(queueUrl);
  return `${endpoint.replace(/\/+$/, '')}${pathname}`;
}
