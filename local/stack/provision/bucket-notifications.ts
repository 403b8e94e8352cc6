import { UnsupportedPropertyError } from '../../errors';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

export const BUCKET_NOTIFICATIONS_TYPE = 'Custom::S3BucketNotifications';

/** One queue that hears of new objects, and which ones (S3's `QueueConfiguration`). */
export interface QueueNotification {
  readonly queueArn: string;
  /** S3 event names, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
}

/** What a `Custom::S3BucketNotifications` resource asks for, as the local notifier needs it. */
export interface BucketNotificationsDefinition {
  readonly logicalId: string;
  readonly bucketName: string;
  readonly queues: readonly QueueNotification[];
}

/** Events the local notifier can raise: it sees new and overwritten objects, nothing else. */
const SUPPORTED_EVENTS = ['s3:ObjectCreated:*', 's3:ObjectCreated:Put'];

/**
 * Reads CDK's `Custom::S3BucketNotifications` (what `bucket.addEventNotification` synthesizes):
 * the bucket and its queue configurations. Nothing is created: the runner's bucket notifier
 * watches the bucket and sends the S3 event messages (`s3/bucket-notifier.ts`). Its provider
 * function (CDK's Python `BucketNotificationsHandler`) is not run. Topic, Lambda and EventBridge
 * destinations and other events fail loudly.
 *
 * @example
 * bucketNotifications({ logicalId: 'BNotifications', properties, ... }).queues[0].prefix // 'directory/'
 */
export function bucketNotifications(input: Omit<ResourceToCreate, 'type'>): CreatedResource & { readonly definition: BucketNotificationsDefinition } {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, BUCKET_NOTIFICATIONS_TYPE, p, {
    applied: ['BucketName', 'NotificationConfiguration'],
    ignored: {
      ServiceToken: 'the local stack emulates this custom resource itself',
      Managed: 'the local stack owns the whole notification configuration',
      SkipDestinationValidation: 'the local notifier sends to the queue directly',
    },
  });
  const config = (p.NotificationConfiguration ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (key !== 'QueueConfigurations') {
      throw new UnsupportedPropertyError(logicalId, BUCKET_NOTIFICATIONS_TYPE, `NotificationConfiguration.${key}`, 'only queue destinations are emulated');
    }
  }
  const queues = ((config.QueueConfigurations ?? []) as Record<string, unknown>[]).map((q, i) => {
    const events = (q.Events ?? []) as string[];
    const unsupported = events.filter((e) => !SUPPORTED_EVENTS.includes(e));
    if (unsupported.length > 0) {
      throw new UnsupportedPropertyError(logicalId, BUCKET_NOTIFICATIONS_TYPE, `QueueConfigurations.${i}.Events`, `${unsupported.join(', ')}: only new objects are noticed locally`);
    }
    const rules = ((q.Filter as { Key?: { FilterRules?: { Name: string; Value: string }[] } } | undefined)?.Key?.FilterRules ?? []);
    const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value;
    const prefix = rule('prefix');
    const suffix = rule('suffix');
    return { queueArn: String(q.QueueArn), events, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) };
  });
  return {
    notes,
    outputs: { ref: logicalId, attributes: {} },
    definition: { logicalId, bucketName: String(p.BucketName), queues },
  };
}
