import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, vi } from 'vitest';
import { InvalidPropsError } from '../../lib/errors';
import { NOTIFY_ENTRY } from '../../lib/constructs/notify-pipeline';
import { QueueConsumerFunction } from '../../lib/constructs/queue-consumer-function';
import { bindTable, TableAccess } from '../../lib/constructs/bind-table';
import { checkDeclaredEnvironments, declareEnvironment, setEnvironment } from '../../lib/constructs/function-environment';
import { NOTIFY_ENV } from '../../lambdas/notices/notify/env';
import { actionsOf, buildStack, policyStatements } from './helpers';

function newStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
}

/** AwsSolutions findings on the function and its role (not on the bare test queue). */
function functionFindings(stack: Stack): string[] {
  return new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.startsWith('Test/Fn')))
    .map((v) => v.ruleName);
}

describe('QueueConsumerFunction', () => {
  it('rejects a queue whose visibility timeout is under 6 x the function timeout', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(179) });

    // Act
    const act = (): unknown => new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue });

    // Assess
    expect(act).toThrow(InvalidPropsError);
    expect(act).toThrow(/visibility timeout \(179 s\) must be at least 6 x the function timeout \(180 s\)/);
  });

  it('treats a queue without a visibility timeout as the SQS default of 30 s', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue');

    // Act
    const act = (): unknown => new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue, timeout: Duration.seconds(5) });

    // Assess
    expect(act).not.toThrow();
  });

  it('reports every conflicting prop in one error', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(30) });
    let error: unknown;

    // Act
    try {
      new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue, batchSize: 100, maxConcurrency: 1 });
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect((error as InvalidPropsError).problems).toHaveLength(3);
    expect((error as Error).message).toMatch(/visibility timeout/);
    expect((error as Error).message).toMatch(/batchSize 100 \(over 10\) needs a maxBatchingWindow/);
    expect((error as Error).message).toMatch(/maxConcurrency must be an integer from 2 to 1000, got 1/);
  });

  it('acknowledges the X-Ray wildcard only when tracing is active', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });

    // Act
    new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue, tracing: Tracing.ACTIVE });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    const acks = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.keys(m.data as object));
    expect(acks).toEqual([expect.stringContaining('AwsSolutions-IAM5[Resource::*]')]);
    expect(functionFindings(stack)).toEqual([]);
  });

  it('without the acknowledgement, active tracing is an IAM5 finding (so the acknowledgement is needed)', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const skip = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);

    // Act
    try {
      new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue, tracing: Tracing.ACTIVE });
    } finally {
      skip.mockRestore();
    }
    const findings = functionFindings(stack);

    // Assess
    expect(findings).toContain('AwsSolutions-IAM5[Resource::*]');
  });
});

describe('bindTable', () => {
  it('grants Query on the named indexes only, with the table name in the environment', () => {
    // Prepare
    const stack = newStack();
    const key = new Key(stack, 'Key');
    const table = new Table(stack, 'Ledger', {
      partitionKey: { name: 'noticeId', type: AttributeType.STRING },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const fn = declareEnvironment(new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue }), NOTIFY_ENV);

    // Act
    bindTable({ table, fn, envName: 'LEDGER_TABLE', access: TableAccess.READ_AND_QUERY, indexes: ['byAuditState'] });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LEDGER_TABLE: { Ref: Match.stringLikeRegexp('^Ledger') } }) },
    });
    const query = policyStatements(template).filter((st) => actionsOf(st).includes('dynamodb:Query'));
    expect(query).toHaveLength(1);
    expect(actionsOf(query[0]!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(query[0]!.Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Ledger/), 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Ledger/), 'Arn'] }, '/index/byAuditState']] },
    ]);
  });

  it('with QUERY_INDEXES_ONLY, grants Query on the named indexes and not on the table', () => {
    // Prepare
    const stack = newStack();
    const table = new Table(stack, 'Registries', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const fn = declareEnvironment(new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue }), NOTIFY_ENV);

    // Act
    bindTable({ table, fn, envName: 'REGISTRIES_TABLE', access: TableAccess.QUERY_INDEXES_ONLY, indexes: ['byOwner'] });

    // Assess
    const query = policyStatements(Template.fromStack(stack)).filter((st) => actionsOf(st).includes('dynamodb:Query'));
    expect(query).toHaveLength(1);
    expect(actionsOf(query[0]!)).toEqual(['dynamodb:Query']);
    expect(query[0]!.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Registries/), 'Arn'] }, '/index/byOwner']],
    });
  });

  it('refuses QUERY_INDEXES_ONLY without an index', () => {
    // Prepare
    const stack = newStack();
    const table = new Table(stack, 'Registries', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const fn = declareEnvironment(new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue }), NOTIFY_ENV);

    // Act
    const act = (): unknown => bindTable({ table, fn, envName: 'REGISTRIES_TABLE', access: TableAccess.QUERY_INDEXES_ONLY });

    // Assess
    expect(act).toThrow(/QUERY_INDEXES_ONLY needs at least one index/);
  });
});

describe('declareEnvironment', () => {
  it('refuses a variable the function does not read: the compiler, and synthesis', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const fn = declareEnvironment(new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue }), NOTIFY_ENV);

    // Act
    // @ts-expect-error notify does not read AUDIT_QUEUE_URL
    setEnvironment(fn, { AUDIT_QUEUE_URL: 'https://queue' });

    // Assess
    expect(() => Template.fromStack(stack)).toThrow(/Fn is set AUDIT_QUEUE_URL, which its environment declaration does not read/);
  });

  it('fails the synthesis of a stack where a function misses a variable it requires', () => {
    // Prepare
    const stack = newStack();
    const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(180) });
    const fn = declareEnvironment(new QueueConsumerFunction(stack, 'Fn', { entry: NOTIFY_ENTRY, queue }), NOTIFY_ENV);
    setEnvironment(fn, { PURCHASE_QUEUE_URL: queue.queueUrl });

    // Act
    checkDeclaredEnvironments(stack);

    // Assess
    expect(() => Template.fromStack(stack)).toThrow(/Fn misses REGISTRIES_TABLE, which it requires/);
  });
});

describe('NotifyPipeline.grantSendPurchases', () => {
  it('lets a producer send to the purchase queue and use the key for it, nothing more', () => {
    // Prepare
    const { stack } = buildStack();
    const producer = new Role(stack, 'Producer', { assumedBy: new AccountRootPrincipal() });

    // Act
    stack.notify.grantSendPurchases(producer);

    // Assess
    const template = Template.fromStack(stack);
    const producerPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([logicalId]) =>
      logicalId.startsWith('Producer'),
    );
    const statements = policyStatements(Template.fromJSON({ Resources: Object.fromEntries(producerPolicy) }));
    expect(statements.map((s) => actionsOf(s).sort())).toEqual([['sqs:SendMessage'], ['kms:Decrypt', 'kms:GenerateDataKey']]);
  });
});
