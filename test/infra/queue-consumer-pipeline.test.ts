import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { InvalidPropsError } from '../../lib/errors';
import { NOTIFY_ENTRY } from '../../lib/constructs/notify-pipeline';
import { QueueConsumerPipeline } from '../../lib/constructs/queue-consumer-pipeline';
import { actionsOf, logicalIdOf, policyStatements, referencesResource, synthesize } from './helpers';

function newStack(): { stack: Stack; key: Key } {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true } }), 'Test');
  return { stack, key: new Key(stack, 'Key', { enableKeyRotation: true }) };
}

describe('QueueConsumerPipeline', () => {
  it('by default: KMS, TLS-only queues, visibility 6 x timeout, DLQ after 5 receives, 14-day DLQ and quarantine, 1 MiB messages', () => {
    // Prepare
    const { stack, key } = newStack();

    // Act
    new QueueConsumerPipeline(stack, 'Feed', { entry: NOTIFY_ENTRY, encryptionKey: key });

    // Assess
    const template = Template.fromStack(stack);
    const [queue, dlq, quarantine] = ['/Feed/Queue/Resource', '/Feed/DeadLetterQueue/Resource', '/Feed/QuarantineQueue/Resource'].map((p) =>
      logicalIdOf(template, 'AWS::SQS::Queue', p),
    );
    template.hasResource('AWS::SQS::Queue', {
      Properties: {
        VisibilityTimeout: 180,
        MaximumMessageSize: 1_048_576,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      },
      DeletionPolicy: 'Retain',
    });
    for (const evidence of [dlq, quarantine]) {
      expect(template.toJSON().Resources[evidence!].Properties).toMatchObject({ MessageRetentionPeriod: 1_209_600, MaximumMessageSize: 1_048_576 });
    }
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] } }, 3);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      Environment: { Variables: Match.objectLike({ QUARANTINE_QUEUE_URL: { Ref: quarantine } }) },
    });
  });

  it('lets its function send to the quarantine and nowhere else, with the key use it needs', () => {
    // Prepare
    const { stack, key } = newStack();

    // Act
    new QueueConsumerPipeline(stack, 'Feed', { entry: NOTIFY_ENTRY, encryptionKey: key });

    // Assess
    const template = Template.fromStack(stack);
    const quarantine = logicalIdOf(template, 'AWS::SQS::Queue', '/Feed/QuarantineQueue/Resource');
    const sends = policyStatements(template, '/Feed/FunctionRole/').filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
    expect(actionsOf(sends[0]!)).toEqual(['sqs:SendMessage']);
    expect(referencesResource(sends[0]!, quarantine)).toBe(true);
    const kms = policyStatements(template, '/Feed/FunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kms.flatMap(actionsOf).every((a) => !a.includes('*'))).toBe(true);
  });

  it('takes its props: receives, message size, timeout, batching, and a shared quarantine', () => {
    // Prepare
    const { stack, key } = newStack();
    const shared = new QueueConsumerPipeline(stack, 'First', { entry: NOTIFY_ENTRY, encryptionKey: key });

    // Act
    new QueueConsumerPipeline(stack, 'Second', {
      entry: NOTIFY_ENTRY,
      encryptionKey: key,
      maxReceiveCount: 3,
      maxMessageSizeBytes: 64 * 1024,
      timeout: Duration.seconds(60),
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(2),
      quarantineQueue: shared.quarantineQueue,
      ids: { queue: 'Feed', function: 'Apply' },
    });

    // Assess
    const template = Template.fromStack(stack);
    const feed = logicalIdOf(template, 'AWS::SQS::Queue', '/Second/Feed/Resource');
    expect(template.toJSON().Resources[feed].Properties).toMatchObject({
      VisibilityTimeout: 360,
      MaximumMessageSize: 65_536,
      RedrivePolicy: { maxReceiveCount: 3 },
    });
    template.resourceCountIs('AWS::SQS::Queue', 5); // two queues, two DLQs, one quarantine
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 50, MaximumBatchingWindowInSeconds: 2 });
    const sharedQuarantine = logicalIdOf(template, 'AWS::SQS::Queue', '/First/QuarantineQueue/Resource');
    const secondSends = policyStatements(template, '/Second/ApplyRole/').filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(secondSends.some((s) => referencesResource(s, sharedQuarantine))).toBe(true);
  });

  it('reports every bad prop in one error', () => {
    // Prepare
    const { stack, key } = newStack();

    // Act
    const act = (): unknown =>
      new QueueConsumerPipeline(stack, 'Bad', { entry: NOTIFY_ENTRY, encryptionKey: key, maxReceiveCount: 0, maxMessageSizeBytes: 2 * 1024 * 1024 });

    // Assess
    expect(act).toThrow(InvalidPropsError);
    expect(act).toThrow(/maxReceiveCount must be an integer from 1 to 1000, got 0[\s\S]*maxMessageSizeBytes must be an integer from 1024 to 1048576, got 2097152/);
  });

  it('has no cdk-nag AwsSolutions findings', () => {
    // Prepare
    const { stack, key } = newStack();
    new QueueConsumerPipeline(stack, 'Feed', { entry: NOTIFY_ENTRY, encryptionKey: key });

    // Act
    const findings = new AwsSolutionsChecks().validateScope(stack).violations.filter((v) => v.ruleName.startsWith('AwsSolutions'));

    // Assess
    expect(findings.map((f) => `${f.ruleName} ${f.violatingResources.map((r) => r.constructPath).join(',')}`)).toEqual([]);
  });
});

describe('the purchase queue (NotifyPipeline over QueueConsumerPipeline)', () => {
  it('accepts a message of 1 MiB, the SQS maximum, so an oversized mistake is quarantined with its reason, not refused', () => {
    // Act
    const { template } = synthesize();

    // Assess
    const purchaseQueue = logicalIdOf(template, 'AWS::SQS::Queue', '/PurchaseQueue/Resource');
    expect(template.toJSON().Resources[purchaseQueue].Properties).toMatchObject({ MaximumMessageSize: 1_048_576, VisibilityTimeout: 180 });
  });
});
