import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { actionsOf, buildStack, expectAlarmOnAnyMessageIn, logicalIdOf, policyStatements, referencesResource } from './helpers';

/** The stack as `cdk synth` builds it; its apology sender is the one under test. */
function withSender(context: Record<string, unknown> = {}) {
  const { app, stack } = buildStack({ context });
  return { app, stack, template: Template.fromStack(stack) };
}

describe('ApologySender (the apology queue and its SQS-triggered sender)', () => {
  it('feeds the sender from the apology queue: partial batch responses, batches of 10, the configured maximum concurrency, DLQ after 5 receives', () => {
    // Prepare
    const { template } = withSender({ apologySenderMaxConcurrency: 25 });
    const [queue, dlq] = ['AuditApology/Apologies/ApologyQueue/Resource', 'AuditApology/Apologies/DeadLetterQueue/Resource'].map((p) =>
      logicalIdOf(template, 'AWS::SQS::Queue', p),
    );

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 25 },
    });
    expect(template.toJSON().Resources[queue!].Properties).toMatchObject({
      // 6 x the sender's 60 s timeout.
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
    });
  });

  it('gives the sender its settings: tables, queue, share of the SES rate, timeout', () => {
    withSender({ apologyRateSharePercent: 40 }).template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          APOLOGY_RATE_SHARE_PERCENT: '40',
          APOLOGY_QUEUE_URL: Match.anyValue(),
          APOLOGY_SENDER_TIMEOUT_SECONDS: '60',
          AUDIT_TABLE: Match.anyValue(),
          LEDGER_TABLE: Match.anyValue(),
          CUSTOMERS_TABLE: Match.anyValue(),
          SUPPRESSIONS_TABLE: Match.anyValue(),
          UNSUBSCRIBES_TABLE: Match.anyValue(),
          UNSUBSCRIBE_BASE_URL: Match.anyValue(),
          UNSUBSCRIBE_KEY_ARN: Match.anyValue(),
          KILL_SWITCH_PARAMETER: Match.anyValue(),
          QUARANTINE_QUEUE_URL: Match.anyValue(),
          SENDER_ADDRESS: Match.anyValue(),
        }),
      },
    });
  });

  it('grants exactly what sending needs: the ledger, suppressions and unsubscribes read in one batch, customers by byEmailHash only, audit-table items, SES, signing links, its own queue', () => {
    // Prepare
    const { template } = withSender();
    const id = (path: string): string => logicalIdOf(template, 'AWS::DynamoDB::Table', path);
    const [ledger, suppressions, unsubscribes, customers, audit] = [
      'DataTables/LedgerTable/Resource',
      'DataTables/SuppressionsTable/Resource',
      'DataTables/UnsubscribesTable/Resource',
      'DataTables/CustomersTable/Resource',
      'AuditApology/AuditTable/Resource',
    ].map(id);
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'AuditApology/Apologies/ApologyQueue/Resource');
    const statements = policyStatements(template, '/SenderFunctionRole/');
    const on = (table: string): string[] => statements.filter((s) => referencesResource(s, table)).flatMap(actionsOf).sort();

    // Assess
    expect(on(ledger!)).toEqual(['dynamodb:BatchGetItem']);
    expect(on(suppressions!)).toEqual(['dynamodb:BatchGetItem']);
    expect(on(unsubscribes!)).toEqual(['dynamodb:BatchGetItem']);
    expect(on(customers!)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(statements.filter((s) => referencesResource(s, customers!)))).toContain('/index/byEmailHash');
    expect(on(audit!)).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const actions = statements.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['ses:SendEmail', 'ses:GetAccount', 'ssm:GetParameter', 'sqs:SendMessage', 'kms:GenerateMac']));
    expect(actions.some((a) => a.includes('Scan') || a.endsWith('*'))).toBe(false);
    expect(statements.filter((s) => actionsOf(s).includes('sqs:SendMessage')).some((s) => referencesResource(s, queue))).toBe(true);
  });

  it('alarms when an apology message is dead-lettered', () => {
    const { template } = withSender();
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'AuditApology/Apologies/DeadLetterQueue/Resource');
    expectAlarmOnAnyMessageIn(template, dlq);
  });

  it('refuses a maximum concurrency outside what Lambda allows, naming the key', () => {
    expect(() => withSender({ apologySenderMaxConcurrency: 1 })).toThrow(/apologySenderMaxConcurrency/);
  });

  it('leaves cdk-nag AwsSolutions nothing unacknowledged', () => {
    // Prepare
    const { app, stack } = withSender();

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    const findings = report.violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) => f.includes(`${stack.audit.sender.node.path}/`));
    expect(findings).toEqual([]);
  });
});
