import { SubscribeCommand } from '@aws-sdk/client-sns';
import type { Provisioner } from './provisioner';

/** Subscription attributes that are properties of the same name, as text (JSON for policies). */
const ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy'];

/**
 * Subscribes an SQS queue to a topic in the SNS emulator, as an `AWS::SNS::Subscription`
 * with protocol `sqs`: raw message delivery, filter policy (and its scope), redrive policy.
 * Other protocols (email, https, lambda, ...) have no local endpoint: nothing is
 * subscribed, and `stack.log` says so.
 *
 * @example
 * await provision(SNS_SUBSCRIPTION, { logicalId: 'EventsToQueue', type: 'AWS::SNS::Subscription', stackName: 'S', properties: { Protocol: 'sqs', TopicArn, Endpoint: queueArn, RawMessageDelivery: true } }, target);
 */
export const SNS_SUBSCRIPTION: Provisioner = {
  properties: {
    applied: ['TopicArn', 'Protocol', 'Endpoint', ...ATTRIBUTES],
    ignored: {
      Region: 'one region locally',
      DeliveryPolicy: 'HTTP delivery retries are not emulated',
      SubscriptionRoleArn: 'only sqs subscriptions are delivered locally, which need no role',
      ReplayPolicy: 'message replay is not emulated',
    },
  },
  async create({ logicalId, properties: p }, { clients }) {
    const topicArn = String(p.TopicArn);
    if (p.Protocol !== 'sqs') {
      return {
        notes: [`Protocol: ${String(p.Protocol)} subscriptions are not delivered locally (only sqs)`],
        outputs: { ref: `${topicArn}:${logicalId}`, attributes: {} },
      };
    }
    const attributes: Record<string, string> = {};
    for (const key of ATTRIBUTES) {
      if (p[key] !== undefined) attributes[key] = typeof p[key] === 'object' ? JSON.stringify(p[key]) : String(p[key]);
    }
    const { SubscriptionArn: arn } = await clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: String(p.Endpoint), Attributes: attributes, ReturnSubscriptionArn: true }),
    );
    if (!arn) throw new Error('the emulator returned no SubscriptionArn');
    return { outputs: { ref: arn, attributes: {} } };
  },
};
