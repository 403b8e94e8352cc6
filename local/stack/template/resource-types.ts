import { UnsupportedResourceTypeError } from '../../errors';

/** How the local stack treats a resource type: created in an emulator, run, or ignored with a reason. */
export const LocalRole = {
  QUEUE: 'queue',
  TABLE: 'table',
  PARAMETER: 'parameter',
  KEY: 'key',
  FUNCTION: 'function',
  EVENT_SOURCE_MAPPING: 'event-source-mapping',
  SCHEDULE: 'schedule',
  FUNCTION_URL: 'function-url',
  BUCKET: 'bucket',
  BUCKET_NOTIFICATIONS: 'bucket-notifications',
  TOPIC: 'topic',
  SUBSCRIPTION: 'subscription',
  MAIL_EVENT_DESTINATION: 'mail-event-destination',
  IGNORED: 'ignored',
} as const;
export type LocalRole = (typeof LocalRole)[keyof typeof LocalRole];

/** Types the local stack emulates, and what it does with each. */
export const EMULATED_TYPES: Readonly<Record<string, Exclude<LocalRole, 'ignored'>>> = {
  'AWS::SQS::Queue': LocalRole.QUEUE,
  'AWS::DynamoDB::Table': LocalRole.TABLE,
  'AWS::DynamoDB::GlobalTable': LocalRole.TABLE,
  'AWS::SSM::Parameter': LocalRole.PARAMETER,
  'AWS::KMS::Key': LocalRole.KEY,
  'AWS::Lambda::Function': LocalRole.FUNCTION,
  'AWS::Lambda::EventSourceMapping': LocalRole.EVENT_SOURCE_MAPPING,
  'AWS::Scheduler::Schedule': LocalRole.SCHEDULE,
  'AWS::Lambda::Url': LocalRole.FUNCTION_URL,
  'AWS::S3::Bucket': LocalRole.BUCKET,
  // CDK's custom resource behind `bucket.addEventNotification`: emulated, its provider function is not run.
  'Custom::S3BucketNotifications': LocalRole.BUCKET_NOTIFICATIONS,
  'AWS::SNS::Topic': LocalRole.TOPIC,
  'AWS::SNS::Subscription': LocalRole.SUBSCRIPTION,
  'AWS::SES::ConfigurationSetEventDestination': LocalRole.MAIL_EVENT_DESTINATION,
};

/** Custom resource types the local stack emulates itself: the functions behind their `ServiceToken` are not run. */
export const EMULATED_CUSTOM_RESOURCES: ReadonlySet<string> = new Set(['Custom::S3BucketNotifications']);

/** A type with no local meaning: why, and how to answer `Ref`/`Fn::GetAtt ... Arn` on it. */
export interface IgnoredType {
  /** Why nothing is created for it locally (shown by `npm start`). */
  readonly reason: string;
  /** The property holding its name, if it has one (e.g. `RoleName`); `Ref` returns it. */
  readonly nameProperty?: string;
  /** Builds a plausible ARN for `Fn::GetAtt X.Arn` from the local name. */
  readonly arn?: (name: string, where: { partition: string; region: string; accountId: string }) => string;
  /** `Ref` returns the ARN rather than the name (SNS topics, managed policies). */
  readonly refIsArn?: boolean;
}

/**
 * Types deliberately not emulated, each with the reason. A type in neither this list nor
 * {@link EMULATED_TYPES} fails `npm start` loudly: a new kind of resource is never skipped silently.
 */
export const IGNORED_TYPES: Readonly<Record<string, IgnoredType>> = {
  'AWS::CDK::Metadata': { reason: "CDK's usage metadata" },
  'AWS::IAM::Role': {
    reason: 'not created: the IAM gate (local/stack/iam) reads its policies from the template and checks each function call against them (unless enforcePolicies is false)',
    nameProperty: 'RoleName',
    arn: (name, w) => `arn:${w.partition}:iam::${w.accountId}:role/${name}`,
  },
  'AWS::IAM::Policy': { reason: 'not created: the IAM gate reads its statements from the template for the roles it names', nameProperty: 'PolicyName' },
  'AWS::IAM::ManagedPolicy': {
    reason: 'not created: the IAM gate reads its statements from the template for the roles it names',
    nameProperty: 'ManagedPolicyName',
    arn: (name, w) => `arn:${w.partition}:iam::${w.accountId}:policy/${name}`,
    refIsArn: true,
  },
  'AWS::KMS::Alias': { reason: 'the KMS emulator knows keys by id and ARN only', nameProperty: 'AliasName' },
  'AWS::Logs::LogGroup': {
    reason: 'function logs go to the terminal / .local/logs instead',
    nameProperty: 'LogGroupName',
    arn: (name, w) => `arn:${w.partition}:logs:${w.region}:${w.accountId}:log-group:${name}:*`,
  },
  'AWS::Logs::MetricFilter': { reason: 'no CloudWatch locally' },
  'AWS::CloudWatch::Alarm': {
    reason: 'no CloudWatch locally: alarms are not evaluated',
    nameProperty: 'AlarmName',
    arn: (name, w) => `arn:${w.partition}:cloudwatch:${w.region}:${w.accountId}:alarm:${name}`,
  },
  'AWS::CloudWatch::CompositeAlarm': {
    reason: 'no CloudWatch locally: alarms are not evaluated',
    nameProperty: 'AlarmName',
    arn: (name, w) => `arn:${w.partition}:cloudwatch:${w.region}:${w.accountId}:alarm:${name}`,
  },
  'AWS::CloudWatch::Dashboard': { reason: 'no CloudWatch locally', nameProperty: 'DashboardName' },
  'AWS::SNS::TopicPolicy': { reason: 'not enforced locally: the IAM gate checks role and key policies, not resource policies' },
  'AWS::SES::EmailIdentity': {
    reason: 'the SES emulator accepts any sender without verification',
    nameProperty: 'EmailIdentity',
  },
  'AWS::SES::ConfigurationSet': {
    reason: 'the SES emulator takes mail under any configuration set name (its SNS event destinations are played)',
    nameProperty: 'Name',
  },
  'AWS::SQS::QueuePolicy': { reason: 'not enforced locally: the IAM gate checks role and key policies, not resource policies' },
  'AWS::S3::BucketPolicy': { reason: 'not enforced locally: the IAM gate checks role and key policies, not resource policies' },
  'AWS::Lambda::Permission': { reason: 'no IAM locally: the local runner invokes functions directly' },
  'AWS::Scheduler::ScheduleGroup': {
    reason: 'schedules run from local timers whatever their group',
    nameProperty: 'Name',
    arn: (name, w) => `arn:${w.partition}:scheduler:${w.region}:${w.accountId}:schedule-group/${name}`,
  },
};

/**
 * What the local stack does with a resource type; throws {@link UnsupportedResourceTypeError}
 * for a type it neither emulates nor ignores on purpose.
 *
 * @example
 * localRoleOf('Queue1', 'AWS::SQS::Queue') // 'queue'
 * localRoleOf('Role1', 'AWS::IAM::Role') // 'ignored'
 * localRoleOf('Topic1', 'AWS::Events::Rule') // throws UnsupportedResourceTypeError
 */
export function localRoleOf(logicalId: string, type: string): LocalRole {
  const emulated = EMULATED_TYPES[type];
  if (emulated !== undefined) return emulated;
  if (IGNORED_TYPES[type] !== undefined) return LocalRole.IGNORED;
  throw new UnsupportedResourceTypeError(logicalId, type);
}
