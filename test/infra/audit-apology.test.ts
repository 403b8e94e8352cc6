import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AuditApology, type AuditApologyProps } from '../../lib/constructs/audit-apology';
import type { RegistryNoticesStack } from '../../lib/registry-notices-stack';
import { actionsOf, buildStack, logicalIdOf, policyStatements, referencesResource, tableGrantsOf } from './helpers';

function propsFrom(stack: RegistryNoticesStack, overrides: Partial<AuditApologyProps> = {}): AuditApologyProps {
  return {
    tables: stack.tables,
    encryptionKey: stack.dataKey,
    mail: stack.mail,
    killSwitch: stack.killSwitch,
    alarms: stack.alarms,
    helpUrl: 'https://shop.example/help',
    unsubscribe: stack.unsubscribe,
    shopName: 'Example Shop',
    ledgerRetentionDays: 400,
    ...overrides,
  };
}

/** What the audit role may do on one table (see `tableGrantsOf`). */
const auditGrantsOn = (template: Template, tablePath: string) => tableGrantsOf(template, '/AuditFunctionRole/', tablePath);

/** The stack as `cdk synth` builds it, with context over cdk.json's; its AuditApology is the one under test. */
function withAudit(context: Record<string, unknown> = {}) {
  const { app, stack } = buildStack({ context });
  return { app, stack, audit: stack.audit, template: Template.fromStack(stack) };
}

describe('AuditApology', () => {
  it('creates the audit table keyed pk/sk with TTL, PITR and the data key', () => {
    const { template } = withAudit();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
  });

  it('schedules the function with EventBridge Scheduler and no retries', () => {
    const { template } = withAudit({ auditSchedule: 'rate(10 minutes)' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(10 minutes)',
      Target: Match.objectLike({ RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) }),
    });
  });

  it('gives the function its settings and a 5 minute timeout', () => {
    const { template } = withAudit({ apologyApprovalThreshold: 20, operatorPersonRoles: 'AWSReservedSSO_*, OpsPerson' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          APOLOGY_APPROVAL_THRESHOLD: '20',
          OPERATOR_PERSON_ROLES: 'AWSReservedSSO_*,OpsPerson',
          APOLOGY_QUEUE_URL: Match.anyValue(),
          AUDIT_TABLE: Match.anyValue(),
          LEDGER_TABLE: Match.anyValue(),
          CUSTOMERS_TABLE: Match.anyValue(),
          SUPPRESSIONS_TABLE: Match.anyValue(),
          REGISTRIES_TABLE: Match.anyValue(),
          KILL_SWITCH_PARAMETER: Match.anyValue(),
          AUDIT_LEASE_SECONDS: '360',
        }),
      },
    });
  });

  it('may read and mark ledger rows and query its four indexes (a day: old and sharded), but never put or delete a row (the audit trail)', () => {
    // Prepare
    const { template } = withAudit();

    // Act
    const ledger = auditGrantsOn(template, 'DataTables/LedgerTable/Resource');

    // Assess
    expect(ledger).toEqual({
      table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      indexes: {
        byAddress: ['dynamodb:Query'],
        byAuditState: ['dynamodb:Query'],
        byDecidedDay: ['dynamodb:Query'],
        byDecidedDayShard: ['dynamodb:Query'],
      },
    });
  });

  it('queries registries and customers only on their byOwner and byEmailHash indexes, never the tables themselves', () => {
    // Prepare
    const { template } = withAudit();

    // Act
    const registries = auditGrantsOn(template, 'DataTables/RegistriesTable/Resource');
    const customers = auditGrantsOn(template, 'DataTables/CustomersTable/Resource');

    // Assess
    // A registry and its item come in one BatchGetItem (the directory adapter notify uses too).
    expect(registries).toEqual({ table: ['dynamodb:BatchGetItem'], indexes: { byOwner: ['dynamodb:Query'] } });
    expect(customers).toEqual({ table: ['dynamodb:GetItem'], indexes: { byEmailHash: ['dynamodb:Query'] } });
  });

  it('reads suppressions by key alone, and BatchGetItem on no table but registries and its own (which incident apologises for a notice)', () => {
    // Prepare
    const { template } = withAudit();

    // Act
    const suppressions = auditGrantsOn(template, 'DataTables/SuppressionsTable/Resource');
    const statements = policyStatements(template, '/AuditFunctionRole/');
    const actions = statements.flatMap(actionsOf);
    const registries = logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/RegistriesTable/Resource');
    const audit = logicalIdOf(template, 'AWS::DynamoDB::Table', 'AuditApology/AuditTable/Resource');

    // Assess
    expect(suppressions).toEqual({ table: ['dynamodb:GetItem'], indexes: {} });
    const batchGets = statements.filter((s) => actionsOf(s).includes('dynamodb:BatchGetItem'));
    // CDK may merge the two grants into one statement: compare the resources they name.
    expect(batchGets.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r)).sort()).toEqual(
      [JSON.stringify({ 'Fn::GetAtt': [registries, 'Arn'] }), JSON.stringify({ 'Fn::GetAtt': [audit, 'Arn'] })].sort(),
    );
    expect(actions.some((a) => a.includes('Scan') || a.endsWith('*'))).toBe(false);
  });

  it('on its own table: item reads and writes, queries by partition, batch writes of plans and batch reads of apologised notices', () => {
    // Prepare
    const { template } = withAudit();

    // Act
    const audit = auditGrantsOn(template, 'AuditApology/AuditTable/Resource');

    // Assess
    expect(audit).toEqual({
      table: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      indexes: {},
    });
    // Batch writes (plans, 25 recipients a request) only in an incident's partitions, not the whole table.
    const batchWrites = policyStatements(template, '/AuditFunctionRole/').filter((st) => actionsOf(st).includes('dynamodb:BatchWriteItem'));
    expect(batchWrites.map((st) => [actionsOf(st), st.Condition])).toEqual([[['dynamodb:BatchWriteItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INC#*'] } }]]);
    // Batch reads only of which incident apologises for a notice (APOLOGISED#<noticeId>), not the whole table.
    const auditTable = logicalIdOf(template, 'AWS::DynamoDB::Table', 'AuditApology/AuditTable/Resource');
    const batchReads = policyStatements(template, '/AuditFunctionRole/').filter(
      (st) => actionsOf(st).includes('dynamodb:BatchGetItem') && JSON.stringify(st.Resource).includes(auditTable),
    );
    expect(batchReads.map((st) => [actionsOf(st), st.Condition])).toEqual([[['dynamodb:BatchGetItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APOLOGISED#*'] } }]]);
  });

  it('may only Query the directory history, on the table and its three indexes', () => {
    // Prepare
    const { template } = withAudit();
    const history = logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/DirectoryHistoryTable/Resource');

    // Act
    const statements = policyStatements(template, '/AuditFunctionRole/').filter((s) => referencesResource(s, history));

    // Assess
    expect(statements.flatMap(actionsOf)).toEqual(['dynamodb:Query']);
    for (const name of ['byOwner', 'byEmailHash', 'byCorrectionDay']) expect(JSON.stringify(statements)).toContain(`/index/${name}`);
  });

  it('lets the function read the SES quota and put apologies on the apology queue, but send no email itself', () => {
    // Prepare
    const { template } = withAudit();
    const apologyQueue = logicalIdOf(template, 'AWS::SQS::Queue', 'AuditApology/Apologies/ApologyQueue/Resource');

    // Act
    const statements = policyStatements(template, '/AuditFunctionRole/');
    const actions = statements.flatMap(actionsOf);

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['ses:GetAccount', 'ssm:GetParameter', 'sqs:SendMessage']));
    expect(actions).not.toContain('ses:SendEmail');
    expect(statements.filter((s) => actionsOf(s).includes('sqs:SendMessage')).some((s) => referencesResource(s, apologyQueue))).toBe(true);
  });

  it('alarms when an apology fails', () => {
    withAudit().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApologyFailed',
      Namespace: 'RegistryNotices',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('refuses a bad schedule expression from context, naming the key', () => {
    expect(() => withAudit({ auditSchedule: 'every 5 minutes' })).toThrow(/auditSchedule: must be an EventBridge Scheduler expression/);
    expect(() => withAudit({ auditSchedule: 'rate(1 minutes)' })).toThrow(/auditSchedule/);
  });

  it('refuses bad settings, all reported together', () => {
    const { stack } = buildStack();
    expect(() => new AuditApology(stack, 'Bad', propsFrom(stack, { sendRateSharePercent: 150, helpUrl: 'http://x' }))).toThrow(
      /sendRateSharePercent[\s\S]*helpUrl/,
    );
  });

  it('leaves cdk-nag AwsSolutions nothing unacknowledged', () => {
    // Prepare
    const { app, audit } = withAudit();

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    const findings = report.violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) => f.includes(audit.node.path));
    expect(findings).toEqual([]);
  });
});
