import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ProvisioningError, UnsupportedPropertyError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::SNS::Topic';

/** What creating a topic needs. */
export interface CreateTopicInput extends ResourceToCreate {
  readonly client: SNSClient;
}

/**
 * Creates an `AWS::SNS::Topic` in the SNS emulator (fauxqs serves SNS beside SQS), FIFO
 * settings included, with its inline `Subscription`s (SQS endpoints only). `Ref` gives
 * the topic ARN, as in CloudFormation.
 *
 * @example
 * const topic = await createTopic({ logicalId: 'Events', stackName: 'S', properties: {}, client });
 * topic.outputs.ref // 'arn:aws:sns:us-east-1:000000000000:S-Events'
 */
export async function createTopic(input: CreateTopicInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['TopicName', 'FifoTopic', 'ContentBasedDeduplication', 'Subscription'],
    ignored: {
      DisplayName: 'descriptive only (SMS and email senders)',
      KmsMasterKeyId: 'the SNS emulator does not encrypt at rest',
      Tags: 'tags are not needed locally',
      SignatureVersion: 'messages are not signed locally',
      TracingConfig: 'no X-Ray locally',
      DataProtectionPolicy: 'data protection policies are not emulated',
      ArchivePolicy: 'message archiving is not emulated',
      DeliveryStatusLogging: 'no CloudWatch locally',
      FifoThroughputScope: 'no throughput limits locally',
    },
  });
  const fifo = p.FifoTopic === true || p.FifoTopic === 'true';
  const name = localPhysicalName(input.stackName, logicalId, {
    maxLength: 256,
    prefix: input.namePrefix,
    explicitName: typeof p.TopicName === 'string' ? p.TopicName : undefined,
    suffix: fifo ? '.fifo' : undefined,
  });
  const inline = (Array.isArray(p.Subscription) ? p.Subscription : []) as { Protocol?: unknown; Endpoint?: unknown }[];
  const unsupported = inline.find((s) => s.Protocol !== 'sqs');
  if (unsupported) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'Subscription', `only sqs subscriptions are delivered locally, not ${String(unsupported.Protocol)}`);
  }
  try {
    const attributes: Record<string, string> = fifo ? { FifoTopic: 'true' } : {};
    if (p.ContentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(p.ContentBasedDeduplication);
    const { TopicArn: arn } = await input.client.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
    if (!arn) throw new Error('the emulator returned no TopicArn');
    for (const subscription of inline) {
      await input.client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: String(subscription.Endpoint) }));
    }
    return { notes, outputs: { ref: arn, attributes: { TopicArn: arn, TopicName: name } } };
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
}
