import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTICE_METRICS, SERVICE } from '../service';
import type { MailSending } from './mail-sending';

/**
 * Complaint rate above which the alarm fires: Gmail's and Yahoo's line for bulk senders (stay
 * under 0.1%, never reach 0.3%), and where SES starts a review of the account.
 */
export const COMPLAINT_RATE_ALARM = 0.001;
/** Bounce rate above which the alarm fires: below SES's 5% review line, to act before it. */
export const BOUNCE_RATE_ALARM = 0.04;

export interface NoticesAlarmsProps {
  /** The purchase queue (backlog age). */
  readonly purchaseQueue: IQueue;
  /** The purchase queue's DLQ (any message is an alarm). */
  readonly deadLetterQueue: IQueue;
  /** The quarantine (any message means a producer broke the contract). */
  readonly quarantineQueue: IQueue;
  /** The notify function (errors of a whole invocation). */
  readonly notifyFunction: IFunction;
  /** The configuration set whose reputation (complaint and bounce rates) is watched. */
  readonly mail: MailSending;
  /**
   * Guard blocks in 5 minutes above which the guard alarm fires. Blocks are normal (surprise
   * mode, closed registries); a burst means upstream data or a producer went wrong, as in
   * the incident this service exists for.
   *
   * @default 20
   */
  readonly guardBlockThreshold?: number;
  /**
   * Age of the oldest purchase message above which the backlog alarm fires.
   *
   * @default Duration.minutes(15)
   */
  readonly maxBacklogAge?: Duration;
}

/**
 * The alarms an operator of registry-notices acts on, all publishing to one encrypted SNS
 * topic. Subscribe to `topic` (email, chat, pager) outside this stack.
 *
 * Other parts of the stack add theirs with {@link NoticesAlarms.addAlarm}.
 */
export class NoticesAlarms extends Construct {
  /** Where every alarm (and its recovery) is published. */
  public readonly topic: Topic;
  /** The DLQ holds at least one message. */
  public readonly deadLetterDepth: Alarm;
  /** The quarantine holds at least one message. */
  public readonly quarantineDepth: Alarm;
  /** More guard blocks than the threshold in 5 minutes. */
  public readonly guardBlocks: Alarm;
  /** At least one send whose outcome is unknown. */
  public readonly sendUncertain: Alarm;
  /** At least one failed notify invocation (not a record: the whole batch). */
  public readonly notifyErrors: Alarm;
  /** The oldest purchase message waits too long (paused, failing or starved consumer). */
  public readonly purchaseBacklogAge: Alarm;
  /** The configuration set's complaint rate is above 0.1%. */
  public readonly complaintRate: Alarm;
  /** The configuration set's bounce rate is above 4%. */
  public readonly bounceRate: Alarm;

  constructor(scope: Construct, id: string, props: NoticesAlarmsProps) {
    super(scope, id);

    // CloudWatch cannot publish to a topic under the AWS managed SNS key; this small key
    // lets it, and keeps CloudWatch off the data key.
    const topicKey = new Key(this, 'TopicKey', {
      description: 'registry-notices: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Only on behalf of this account's alarms in this region (no confused deputy: another
    // account's alarm cannot get CloudWatch to use this key). No cycle-free way to name the
    // alarms themselves: their actions reference the topic, which references this key.
    const { account, region, partition } = Stack.of(this);
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'registry-notices alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });

    const oneMinute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    this.deadLetterDepth = this.addQueueNotEmptyAlarm('DeadLetterDepth', props.deadLetterQueue, 'Purchase messages failed 5 times and sit in the DLQ. Inspect, fix, then redrive.');

    this.quarantineDepth = this.addQueueNotEmptyAlarm('QuarantineDepth', props.quarantineQueue, 'Invalid purchase messages were quarantined with their reason: a producer is breaking contract v1.');

    this.guardBlocks = this.addServiceMetricAlarm('GuardBlocks', NOTICE_METRICS.blocked, 'Many notices were blocked by the guards (not the owner, closed registry, ...). Check the producer and the registry data before anything else goes out.', props.guardBlockThreshold ?? 20);

    this.sendUncertain = this.addServiceMetricAlarm('SendUncertain', NOTICE_METRICS.sendUncertain, 'A notice may or may not have been accepted by SES (crash or timeout around the call). Check the ledger row marked UNCERTAIN.');

    this.notifyErrors = this.addAlarm('NotifyErrors', {
      description: 'Whole notify invocations failed (not single records): the batch comes back and is retried.',
      metric: props.notifyFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
    });

    this.purchaseBacklogAge = this.addAlarm('PurchaseBacklogAge', {
      description:
        'Purchase messages wait longer than expected: sending is paused, the function is failing, or it cannot keep up.',
      metric: props.purchaseQueue.metricApproximateAgeOfOldestMessage({ period: oneMinute, statistic: 'Maximum' }),
      threshold: (props.maxBacklogAge ?? Duration.minutes(15)).toSeconds(),
      evaluationPeriods: 5,
    });

    this.complaintRate = this.addAlarm('ComplaintRate', {
      description:
        'SES complaint rate of our mail is above 0.1% (Gmail and Yahoo: stay under 0.1%, never 0.3%; SES reviews the account from 0.1%). Pause sending, find who complained about what (docs/sender-requirements.md).',
      metric: props.mail.metricReputation('ComplaintRate'),
      threshold: COMPLAINT_RATE_ALARM,
    });

    this.bounceRate = this.addAlarm('BounceRate', {
      description:
        'SES bounce rate of our mail is above 4% (SES reviews the account from 5%): addresses in our data are stale or wrong. Check suppressions and the directory feed.',
      metric: props.mail.metricReputation('BounceRate'),
      threshold: BOUNCE_RATE_ALARM,
    });
  }

  /**
   * Alarms when the service's count `metricName` (a Powertools metric, summed over 5 minutes)
   * is above `threshold`: by default, whenever it happens at all.
   *
   * @example
   * alarms.addServiceMetricAlarm('SendUncertain', NOTICE_METRICS.sendUncertain, 'A notice may or may not have been accepted by SES ...');
   */
  public addServiceMetricAlarm(id: string, metricName: string, description: string, threshold = 0): Alarm {
    return this.addAlarm(id, { description, metric: serviceMetric(metricName, Duration.minutes(5)), threshold });
  }

  /**
   * Alarms when any message is visible in `queue` (its most visible per `period`): how every
   * DLQ and quarantine is watched.
   *
   * @example
   * alarms.addQueueNotEmptyAlarm('FeedbackDeadLetterDepth', feedback.deadLetterQueue, 'SES events failed 5 times ...');
   */
  public addQueueNotEmptyAlarm(id: string, queue: IQueue, description: string, period: Duration = Duration.minutes(1)): Alarm {
    return this.addAlarm(id, {
      description,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      threshold: 0,
    });
  }

  /**
   * Creates an alarm that fires when `metric` is above `threshold` and notifies the topic
   * on alarm and on recovery. Missing data counts as fine: no traffic, no problem.
   */
  public addAlarm(
    id: string,
    options: { description: string; metric: IMetric; threshold: number; evaluationPeriods?: number },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }
}

/** A Powertools metric of the service, with its default `service` dimension, summed. */
export function serviceMetric(metricName: string, period: Duration): Metric {
  return new Metric({
    namespace: SERVICE.metricsNamespace,
    metricName,
    dimensionsMap: { service: SERVICE.name },
    statistic: 'Sum',
    period,
  });
}
