import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import type { FunctionLogging } from './house-function';
import { bindTable, TableAccess } from './bind-table';
import type { DataTables } from './data-tables';
import type { MailSending } from './mail-sending';
import type { NoticesAlarms } from './notices-alarms';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import type { QueueConsumerFunction, BatchTuning } from './queue-consumer-function';
import { declareEnvironment, environmentOf, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { FEEDBACK_ENV } from '../../lambdas/feedback/env';

/** Where the feedback handler lives, relative to the repository root. */
export const FEEDBACK_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'feedback', 'handler.ts');

/** Timeout of one feedback invocation; the queue's visibility timeout is six times this. */
export const FEEDBACK_TIMEOUT = Duration.seconds(30);

/** Receives before SQS moves an SES event to the feedback DLQ. */
export const FEEDBACK_MAX_RECEIVE_COUNT = 5;

/** The SES events the configuration set publishes to the feedback queue. */
export const FEEDBACK_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
] as const;

export interface SesFeedbackProps extends FunctionLogging, Pick<BatchTuning, 'batchSize'> {
  /** The configuration set whose events come back. */
  readonly mail: MailSending;
  /** The ledger (events on rows) and the suppressions (bounces, complaints). */
  readonly tables: DataTables;
  /** The audit table (events on apology claims). */
  readonly auditTable: ITable;
  /** Customer managed key of the topic and the queues: SES events carry recipient addresses. */
  readonly encryptionKey: IKey;
  /** Where the feedback DLQ and quarantine alarms go. */
  readonly alarms: NoticesAlarms;
  /**
   * Soft bounces (transient, undetermined) of one address, from different emails, that
   * suppress it within `softBounceWindowDays`.
   *
   * @default 3
   */
  readonly softBounceLimit?: number;
  /**
   * The window of `softBounceLimit`, in days.
   *
   * @default 7
   */
  readonly softBounceWindowDays?: number;
  /**
   * The handler module.
   *
   * @default FEEDBACK_ENTRY (lambdas/feedback/handler.ts)
   */
  readonly entry?: string;
}

/**
 * SES events back in: configuration set → SNS topic → SQS queue → feedback function.
 *
 * - the configuration set publishes Send, Delivery, Bounce, Complaint, Reject and
 *   DeliveryDelay to an SNS topic (KMS, TLS only; SES may publish, and use the key, only
 *   for this account's configuration set, and every other publisher is denied);
 * - the topic delivers them raw (the body is the SES event) to the feedback queue (KMS, TLS
 *   only, visibility 6 x the function timeout, DLQ after 5 receives);
 * - the feedback function validates each event (unknown shapes to the quarantine, never
 *   retried), matches it to the notice or apology it is about (SES message id, recipient;
 *   anything else to the quarantine, changing nothing), keeps it there, suppresses bounced and
 *   complaining addresses, and settles sends in doubt; partial batch responses.
 */
export class SesFeedback extends Construct {
  /** Where SES publishes the configuration set's events. */
  public readonly topic: Topic;
  /** SES events waiting for the feedback function. */
  public readonly queue: Queue;
  /** Events that failed `FEEDBACK_MAX_RECEIVE_COUNT` times. */
  public readonly deadLetterQueue: Queue;
  /** Events of a shape we do not know, with their reason (14 days). */
  public readonly quarantineQueue: Queue;
  /** The feedback function. */
  public readonly feedbackFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof FEEDBACK_ENV>>;
  /** The queue, DLQ, quarantine and function together (`grantSendMessages`, redrive). */
  public readonly pipeline: QueueConsumerPipeline;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    const key = props.encryptionKey;
    const { account } = Stack.of(this);

    // SES publishes to an encrypted topic only if it may use the topic's key; only for our
    // configuration set in this account.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': props.mail.configurationSetArn } },
      }),
    );
    this.topic = new Topic(this, 'EventsTopic', {
      displayName: 'registry-notices SES events',
      masterKey: key,
      enforceSSL: true,
    });
    props.mail.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.snsTopic(this.topic),
      events: [...FEEDBACK_EVENTS],
    });
    // The destination's Allow for SES stops no one else: any principal of the account whose own
    // policy allows sns:Publish (and the data key) could publish a forged bounce. Explicit Denies
    // win over any Allow. A Deny's conditions all have to hold, so each way of not being SES for
    // this configuration set is a statement of its own; a key a caller's request does not carry
    // (an IAM user or role carries none of these) makes a StringNotEquals/ArnNotLike true, so it
    // is denied. Only Publish: the account's admins (and CloudFormation) still manage the topic.
    const denyPublish = (sid: string, conditions: Record<string, Record<string, string>>) =>
      this.topic.addToResourcePolicy(
        new PolicyStatement({ sid, effect: Effect.DENY, principals: [new AnyPrincipal()], actions: ['sns:Publish'], resources: [this.topic.topicArn], conditions }),
      );
    denyPublish('OnlySesPublishes', { StringNotEquals: { 'aws:PrincipalServiceName': 'ses.amazonaws.com' } });
    denyPublish('OnlyForOurConfigurationSet', { ArnNotLike: { 'aws:SourceArn': props.mail.configurationSetArn } });
    denyPublish('OnlyFromOurAccount', { StringNotEquals: { 'aws:SourceAccount': account } });

    // The SQS-fed function with its DLQ and quarantine, as every queue consumer of ours has it.
    const pipeline = (this.pipeline = new QueueConsumerPipeline(this, 'Consumer', {
      entry: props.entry ?? FEEDBACK_ENTRY,
      encryptionKey: key,
      description: "Hears back from SES: suppresses bounced and complaining addresses, records each email's fate, settles sends in doubt.",
      timeout: FEEDBACK_TIMEOUT,
      maxReceiveCount: FEEDBACK_MAX_RECEIVE_COUNT,
      batchSize: props.batchSize,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(FEEDBACK_ENV, {
        SOFT_BOUNCE_LIMIT: String(props.softBounceLimit ?? 3),
        SOFT_BOUNCE_WINDOW_DAYS: String(props.softBounceWindowDays ?? 7),
      }),
      ids: { queue: 'EventsQueue', function: 'FeedbackFunction' },
    }));
    this.queue = pipeline.queue;
    this.deadLetterQueue = pipeline.deadLetterQueue;
    this.quarantineQueue = pipeline.quarantineQueue;
    this.feedbackFunction = declareEnvironment(pipeline.consumerFunction, FEEDBACK_ENV);
    // Raw delivery: each SQS body is the SES event itself, not an SNS envelope around it.
    this.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: true }));

    const fn = this.feedbackFunction;
    // Conditional updates only: each returns the item as it was when its condition failed, so
    // the function never reads (no GetItem), and cannot create or delete a row or claim.
    bindTable({ table: props.tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.UPDATE_ITEMS });
    bindTable({ table: props.auditTable, fn, envName: 'AUDIT_TABLE', access: TableAccess.UPDATE_ITEMS });
    // An apology claim's key depends on its incident's key layout (lambdas/audit/audit-table/keys.ts),
    // read once per incident from the incident's header: GetItem on the INCIDENTS partition only.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.auditTable.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['INCIDENTS'] } },
      }),
    );
    bindTable({ table: props.tables.suppressions, fn, envName: 'SUPPRESSIONS_TABLE', access: TableAccess.PUT_AND_UPDATE_ITEMS });

    props.alarms.addQueueNotEmptyAlarm('FeedbackDeadLetterDepth', this.deadLetterQueue, 'SES events failed 5 times and sit in the feedback DLQ: bounces or complaints may not be suppressed yet. Inspect, fix, then redrive.');
    props.alarms.addQueueNotEmptyAlarm('FeedbackQuarantineDepth', this.quarantineQueue, 'SES events of a shape the feedback function does not know, or about no email we recorded (UNVERIFIED_EVENT: another message id or recipient, possibly forged), were quarantined with their reason.');
  }
}
