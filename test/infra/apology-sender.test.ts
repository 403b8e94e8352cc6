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

  it('sizes the sender from the SES rate it is configured for: at 500/s and a 100 % share, batches of 10 and 20 invocations; at 2/s, batches of 1', () => {
    // Prepare: 250 ms an apology. 500/s allowed → the schedule's 476.2 slots/s; 476.2 × 0.25 s / 10 + 1 → 13 needed, × 1.5 → 20.
    const fast = withSender({ sesMaxSendRate: 500, apologyRateSharePercent: 100, apologySenderMsPerApology: 250 }).template;
    // 2/s × 50 % → 1/s allowed, 0.95 slots/s: two seconds of slots is one record; 2 needed (Lambda's least), × 1.5 → 3.
    const slow = withSender({ sesMaxSendRate: 2, apologyRateSharePercent: 50, apologySenderMsPerApology: 250 }).template;
    const senderSource = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find((r) =>
        JSON.stringify(r).includes(logicalIdOf(template, 'AWS::SQS::Queue', 'AuditApology/Apologies/ApologyQueue/Resource')),
      )?.Properties as { BatchSize: number; ScalingConfig: { MaximumConcurrency: number } };

    // Assess
    expect(senderSource(fast)).toMatchObject({ BatchSize: 10, ScalingConfig: { MaximumConcurrency: 20 } });
    expect(senderSource(slow)).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 3 } });
  });

  it('refuses at synth a concurrency that cannot reach the allowed rate, and one the account cannot run, each with its reason', () => {
    expect(() => withSender({ sesMaxSendRate: 500, apologyRateSharePercent: 100, apologySenderMsPerApology: 250, apologySenderMaxConcurrency: 10 })).toThrow(
      /apologySenderMaxConcurrency: 10 invocations × batches of 10 at 250 ms an apology \(apologySenderMsPerApology\) carry about 369 apologies\/s, below the allowed 500 apologies\/s \(sesMaxSendRate 500 × apologyRateSharePercent 100 %\): needs at least 13/,
    );
    expect(() => withSender({ sesMaxSendRate: 500, apologyRateSharePercent: 100, apologySenderMaxConcurrency: 990 })).toThrow(
      /apologySenderMaxConcurrency: 990 sender invocations plus \d+ of the stack's other functions exceed the account's 1000 concurrent executions \(lambdaAccountConcurrency\)/,
    );
    expect(() => withSender({ sesMaxSendRate: 500, apologyRateSharePercent: 100, lambdaAccountConcurrency: 40 })).toThrow(
      /apologySenderMaxConcurrency: \d+ sender invocations \(needed for the allowed 500 apologies\/s .*\) plus \d+ of the stack's other functions exceed the account's 40/,
    );
    expect(() => withSender({ sesMaxSendRate: 6000, apologyRateSharePercent: 100 })).toThrow(/would write the slot schedule's one item 571 times a second, above 500/);
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
