import { UnsupportedPropertyError } from '../../errors';
import { checkProperties } from '../provision/property-check';
import type { ProvisionedResource } from '../provision/provision-from-template';
import type { ResourceOutputs } from '../template/types';

const TYPE = 'AWS::SES::ConfigurationSetEventDestination';

/** CloudFormation's `MatchingEventTypes` values, and the `eventType` SES writes for each. */
const EVENT_TYPES: Readonly<Record<string, string>> = {
  send: 'Send',
  reject: 'Reject',
  bounce: 'Bounce',
  complaint: 'Complaint',
  delivery: 'Delivery',
  open: 'Open',
  click: 'Click',
  renderingFailure: 'Rendering Failure',
  deliveryDelay: 'DeliveryDelay',
  subscription: 'Subscription',
};

/** A configuration set's SNS event destination, as the local stack plays it. */
export interface MailEventDestination {
  readonly logicalId: string;
  readonly configurationSetName: string;
  readonly topicArn: string;
  /** SES `eventType`s it publishes (`Send`, `Delivery`, ...). */
  readonly eventTypes: ReadonlySet<string>;
}

/**
 * Checks an `AWS::SES::ConfigurationSetEventDestination`'s properties and answers `Ref`
 * (its id). Only SNS destinations publish locally; CloudWatch, Firehose, EventBridge and
 * Pinpoint destinations have no local counterpart and are noted.
 */
export function mailEventDestinationOutputs(logicalId: string, properties: Readonly<Record<string, unknown>>): { outputs: ResourceOutputs; notes: string[] } {
  const notes = checkProperties(logicalId, TYPE, properties, { applied: ['ConfigurationSetName', 'EventDestination'] });
  const destination = (properties.EventDestination ?? {}) as Record<string, unknown>;
  notes.push(
    ...checkProperties(logicalId, TYPE, destination, {
      applied: ['Name', 'Enabled', 'MatchingEventTypes', 'SnsDestination'],
      ignored: {
        CloudWatchDestination: 'no CloudWatch locally',
        KinesisFirehoseDestination: 'no Firehose locally: only SNS destinations publish events',
        EventBridgeDestination: 'no EventBridge locally: only SNS destinations publish events',
        PinpointDestination: 'no Pinpoint locally: only SNS destinations publish events',
      },
    }).map((note) => `EventDestination.${note}`),
  );
  for (const type of asStrings(destination.MatchingEventTypes)) {
    if (EVENT_TYPES[type] === undefined) {
      throw new UnsupportedPropertyError(logicalId, TYPE, 'EventDestination.MatchingEventTypes', `unknown event type ${type}`);
    }
  }
  const id = typeof destination.Name === 'string' ? destination.Name : logicalId;
  return { outputs: { ref: id, attributes: { Id: id } }, notes };
}

/**
 * The SNS event destination a provisioned resource describes, or `undefined` when it is
 * disabled or publishes elsewhere (CloudWatch, ...).
 */
export function mailEventDestination(resource: ProvisionedResource): MailEventDestination | undefined {
  const p = resource.properties;
  const destination = (p.EventDestination ?? {}) as Record<string, unknown>;
  const sns = destination.SnsDestination as { TopicARN?: unknown } | undefined;
  const enabled = destination.Enabled === true || destination.Enabled === 'true';
  if (!sns || !enabled || typeof sns.TopicARN !== 'string') return undefined;
  return {
    logicalId: resource.logicalId,
    configurationSetName: String(p.ConfigurationSetName),
    topicArn: sns.TopicARN,
    eventTypes: new Set(asStrings(destination.MatchingEventTypes).map((t) => EVENT_TYPES[t] ?? t)),
  };
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
