import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AuditApology, type AuditApologyProps } from '../../lib/constructs/audit-apology';
import type { RegistryNoticesStack } from '../../lib/registry-notices-stack';
import { actionsOf, buildStack, logicalIdOf, policyStatements, referencesResource } from './helpers';

function propsFrom(stack: RegistryNoticesStack, overrides: Partial<AuditApologyProps> = {}): AuditApologyProps {
  return {
    tables: stack.tables,
    encryptionKey: stack.dataKey,
    mail: stack.mail,
    killSwitch: stack.killSwitch,
    alarms: stack.alarms,
    helpUrl: 'https://shop.example/help',
    unsubscribeBaseUrl: 'https://shop.example/unsubscribe',
    shopName: 'Example Shop',
    ledgerRetentionDays: 400,
    ...overrides,
  };
}

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
    const { template } = withAudit({ apologyMaxPerRun: 50, apologyApprovalThreshold: 20 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          APOLOGY_MAX_PER_RUN: '50',
          APOLOGY_APPROVAL_THRESHOLD: '20',
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

  it('grants queries on the ledger indexes and never a Scan', () => {
    // Prepare
    const { template } = withAudit();
    const ledger = logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/LedgerTable/Resource');

    // Act
    const statements = policyStatements(template, '/AuditFunctionRole/').filter((s) => referencesResource(s, ledger));
    const actions = statements.flatMap(actionsOf);

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actions.some((a) => a.includes('Scan') || a.endsWith('*'))).toBe(false);
    expect(JSON.stringify(statements)).toContain('/index/byAuditState');
    expect(JSON.stringify(statements)).toContain('/index/byDecidedDay');
    expect(JSON.stringify(statements)).toContain('/index/byAddress');
  });

  it('may Query the registries table only on its byOwner index, and otherwise only read items', () => {
    // Prepare
    const { template } = withAudit();
    const registries = logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/RegistriesTable/Resource');
    const statements = policyStatements(template, '/AuditFunctionRole/').filter((s) => referencesResource(s, registries));
    const resourcesOf = (s: (typeof statements)[number]): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
    const isIndex = (resource: unknown, name: string): boolean =>
      JSON.stringify(resource) === JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [registries, 'Arn'] }, `/index/${name}`]] });

    // Act
    const queries = statements.filter((s) => actionsOf(s).includes('dynamodb:Query'));
    const others = statements.filter((s) => !actionsOf(s).includes('dynamodb:Query'));

    // Assess
    // CDK merges statements of the same actions: look at the registries' resources among them.
    const queried = queries.flatMap(resourcesOf).filter((r) => JSON.stringify(r).includes(`"${registries}"`));
    expect(queries).toHaveLength(1);
    expect(actionsOf(queries[0]!)).toEqual(['dynamodb:Query']);
    expect(queried).toHaveLength(1);
    expect(isIndex(queried[0], 'byOwner')).toBe(true);
    expect(others.flatMap(actionsOf).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
    expect(JSON.stringify(others)).not.toContain('/index/');
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

  it('lets the function read the SES quota and send through the configuration set', () => {
    const actions = policyStatements(withAudit().template, '/AuditFunctionRole/').flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['ses:GetAccount', 'ses:SendEmail', 'ssm:GetParameter']));
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
