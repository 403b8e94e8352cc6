import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { UnsupportedPropertyError } from '../../errors';
import { resourceName } from '../template/physical-names';
import { isTrue, NO_TAGS, type Provisioner } from './provisioner';

/**
 * Creates an `AWS::SNS::Topic` in the SNS emulator (fauxqs serves SNS beside SQS), FIFO
 * settings included, with its inline `Subscription`s (SQS endpoints only). `Ref` gives
 * the topic ARN, as in CloudFormation.
 *
 * @example
 * const topic = await provision(SNS_TOPIC, { logicalId: 'Events', type: 'AWS::SNS::Topic', stackName: 'S', properties: {} }, target);
 * topic.outputs.ref // 'arn:aws:sns:us-east-1:000000000000:S-Events'
 */
export const SNS_TOPIC: Provisioner = {
  properties: {
    applied: ['TopicName', 'FifoTopic', 'ContentBasedDeduplication', 'Subscription'],
    ignored: {
      DisplayName: 'descriptive only (SMS and email senders)',
      KmsMasterKeyId: 'the SNS emulator does not encrypt at rest',
      Tags: NO_TAGS,
      SignatureVersion: 'messages are not signed locally',
      TracingConfig: 'no X-Ray locally',
      DataProtectionPolicy: 'data protection policies are not emulated',
      ArchivePolicy: 'message archiving is not emulated',
      DeliveryStatusLogging: 'no CloudWatch locally',
      FifoThroughputScope: 'no throughput limits locally',
    },
  },
  async create(resource, { clients }) {
    const p = resource.properties;
    const fifo = isTrue(p.FifoTopic);
    const name = resourceName(resource, 'TopicName', { maxLength: 256, suffix: fifo ? '.fifo' : undefined });
    const inline = (Array.isArray(p.Subscription) ? p.Subscription : []) as { Protocol?: unknown; Endpoint?: unknown }[];
    const unsupported = inline.find((s) => s.Protocol !== 'sqs');
    if (unsupported) {
      throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'Subscription', `only sqs subscriptions are delivered locally, not ${String(unsupported.Protocol)}`);
    }
    const attributes: Record<string, string> = fifo ? { FifoTopic: 'true' } : {};
    if (p.ContentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(p.ContentBasedDeduplication);
    const { TopicArn: arn } = await clients.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
    if (!arn) throw new Error('the emulator returned no TopicArn');
    for (const subscription of inline) {
      await clients.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: String(subscription.Endpoint) }));
    }
    return { outputs: { ref: arn, attributes: { TopicArn: arn, TopicName: name } } };
  },
};
