import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ProvisioningError } from '../../errors';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::SNS::Subscription';
/** Subscription attributes that are properties of the same name, as text (JSON for policies). */
const ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy'];

/** What creating a subscription needs. */
export interface CreateSubscriptionInput extends ResourceToCreate {
  readonly client: SNSClient;
}

/**
 * Subscribes an SQS queue to a topic in the SNS emulator, as an `AWS::SNS::Subscription`
 * with protocol `sqs`: raw message delivery, filter policy (and its scope), redrive policy.
 * Other protocols (email, https, lambda, ...) have no local endpoint: nothing is
 * subscribed, and `stack.log` says so.
 *
 * @example
 * await createSubscription({ logicalId: 'EventsToQueue', stackName: 'S', properties: { Protocol: 'sqs', TopicArn, Endpoint: queueArn, RawMessageDelivery: true }, client });
 */
export async function createSubscription(input: CreateSubscriptionInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['TopicArn', 'Protocol', 'Endpoint', ...ATTRIBUTES],
    ignored: {
      Region: 'one region locally',
      DeliveryPolicy: 'HTTP delivery retries are not emulated',
      SubscriptionRoleArn: 'no IAM locally',
      ReplayPolicy: 'message replay is not emulated',
    },
  });
  const topicArn = String(p.TopicArn);
  if (p.Protocol !== 'sqs') {
    return {
      notes: [...notes, `Protocol: ${String(p.Protocol)} subscriptions are not delivered locally (only sqs)`],
      outputs: { ref: `${topicArn}:${logicalId}`, attributes: {} },
    };
  }
  const attributes: Record<string, string> = {};
  for (const key of ATTRIBUTES) {
    if (p[key] !== undefined) attributes[key] = typeof p[key] === 'object' ? JSON.stringify(p[key]) : String(p[key]);
  }
  try {
    const { SubscriptionArn: arn } = await input.client.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: String(p.Endpoint), Attributes: attributes, ReturnSubscriptionArn: true }),
    );
    if (!arn) throw new Error('the emulator returned no SubscriptionArn');
    return { notes, outputs: { ref: arn, attributes: {} } };
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
}
