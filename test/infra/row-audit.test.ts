import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PENDING_STATES } from '../../lambdas/notices/ledger-table/audit-shards';
import { RowAudit } from '../../lib/constructs/row-audit';
import { actionsOf, buildStack, expectAlarmOnAnyMessageIn, logicalIdOf, policyStatements, referencesResource, tableGrantsOf } from './helpers';

/** The stack as `cdk synth` builds it; its RowAudit is the one under test. */
function withRowAudit() {
  const { app, stack } = buildStack();
  const template = Template.fromStack(stack);
  const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'RowAudit/Pipeline/AuditQueue/Resource');
  return { app, stack, template, queue };
}

const workerGrantsOn = (template: Template, tablePath: string) => tableGrantsOf(template, '/WorkerFunctionRole/', tablePath);

describe('RowAudit', () => {
  it('feeds the worker one shard message at a time, as many side by side as there are shards, with partial batch responses', () => {
    // Prepare
    const { template, queue } = withRowAudit();
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'RowAudit/Pipeline/DeadLetterQueue/Resource');

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: PENDING_STATES.length },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      // Six times the worker's five minutes.
      VisibilityTimeout: 1800,
    });
  });

  it('gives the worker its lease, margin and concurrency, and a 5 minute timeout', () => {
    const { template } = withRowAudit();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          AUDIT_LEASE_SECONDS: '360',
          AUDIT_SAFETY_MARGIN_SECONDS: '20',
          ROW_AUDIT_CONCURRENCY: '8',
          LEDGER_TABLE: Match.anyValue(),
          AUDIT_TABLE: Match.anyValue(),
          DIRECTORY_HISTORY_TABLE: Match.anyValue(),
          QUARANTINE_QUEUE_URL: Match.anyValue(),
        }),
      },
    });
  });

  it('lets the worker read the pending index and mark ledger rows, never put or delete one, nor read the other indexes', () => {
    // Act
    const ledger = workerGrantsOn(withRowAudit().template, 'DataTables/LedgerTable/Resource');

    // Assess
    expect(ledger).toEqual({ table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], indexes: { byAuditState: ['dynamodb:Query'] } });
  });

  it('lets the worker batch-read registries, read customers by key, query their byOwner and byEmailHash indexes, and nothing of suppressions', () => {
    // Prepare
    const { template } = withRowAudit();

    // Act
    const registries = workerGrantsOn(template, 'DataTables/RegistriesTable/Resource');
    const customers = workerGrantsOn(template, 'DataTables/CustomersTable/Resource');
    const suppressions = workerGrantsOn(template, 'DataTables/SuppressionsTable/Resource');

    // Assess
    // A registry and its item come in one BatchGetItem (the directory adapter notify uses too).
    expect(registries).toEqual({ table: ['dynamodb:BatchGetItem'], indexes: { byOwner: ['dynamodb:Query'] } });
    expect(customers).toEqual({ table: ['dynamodb:GetItem'], indexes: { byEmailHash: ['dynamodb:Query'] } });
    expect(suppressions).toEqual({ table: [], indexes: {} });
  });

  it('lets the worker query the history (timelines, byOwner, byEmailHash) and use items and queries of the audit table, no batch writes', () => {
    // Prepare
    const { template } = withRowAudit();

    // Act
    const history = workerGrantsOn(template, 'DataTables/DirectoryHistoryTable/Resource');
    const audit = workerGrantsOn(template, 'AuditApology/AuditTable/Resource');

    // Assess
    expect(history).toEqual({ table: ['dynamodb:Query'], indexes: { byEmailHash: ['dynamodb:Query'], byOwner: ['dynamodb:Query'] } });
    expect(audit).toEqual({
      table: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      indexes: {},
    });
  });

  it('gives the worker no mail, no SSM, no Scan and no wildcard action', () => {
    const actions = policyStatements(withRowAudit().template, '/WorkerFunctionRole/').flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('ssm:'))).toEqual([]);
    expect(actions.some((a) => a.includes('Scan') || a.endsWith('*'))).toBe(false);
  });

  it('tells the audit and operator functions the audit queue and lets them send to it, and nothing else of it', () => {
    // Prepare
    const { template, queue } = withRowAudit();

    // Assess
    for (const role of ['/AuditFunctionRole/', '/OperatorFunctionRole/']) {
      const onQueue = policyStatements(template, role).filter((s) => referencesResource(s, queue));
      expect(onQueue.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    }
    for (const fn of ['AuditApology/AuditFunction/Resource', 'Operator/OperatorFunction/Resource']) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', fn);
      expect(template.toJSON().Resources[id].Properties.Environment.Variables.AUDIT_QUEUE_URL).toEqual({ Ref: queue });
    }
  });

  it('alarms on dead-lettered shard messages and on a backlog of rows waiting over 30 minutes', () => {
    // Prepare
    const { template } = withRowAudit();
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'RowAudit/Pipeline/DeadLetterQueue/Resource');

    // Assess
    expectAlarmOnAnyMessageIn(template, dlq);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditPendingRowAge',
      Namespace: 'RegistryNotices',
      Statistic: 'Maximum',
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('refuses a per-worker concurrency out of range', () => {
    const { stack } = buildStack();
    expect(
      () =>
        new RowAudit(stack, 'Bad', {
          tables: stack.tables,
          auditTable: stack.audit.auditTable,
          encryptionKey: stack.dataKey,
          alarms: stack.alarms,
          ledgerRetentionDays: 400,
          concurrencyPerWorker: 0,
        }),
    ).toThrow(/concurrencyPerWorker must be an integer from 1 to 100, got 0/);
  });

  it('leaves cdk-nag AwsSolutions nothing unacknowledged', () => {
    // Prepare
    const { app, stack } = withRowAudit();

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    const findings = report.violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) => f.includes(stack.rowAudit.node.path));
    expect(findings).toEqual([]);
  });
});
