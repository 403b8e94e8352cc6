import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readNoticesConfig } from '../../lib/config';
import { RegistryNoticesStack } from '../../lib/registry-notices-stack';

const REPO_ROOT = path.join(import.meta.dirname, '..', '..');

/** The `context` of cdk.json: the tests synthesize what `cdk synth` would. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return { ...cdkJson.context };
}

export interface SynthOptions {
  /** Context values over cdk.json's. */
  readonly context?: Record<string, unknown>;
  /** Run esbuild. Off by default: most tests look at the template, not the bundle. */
  readonly bundle?: boolean;
  /** Where `cdk.out` goes (bundling tests read the asset from there). */
  readonly outdir?: string;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: RegistryNoticesStack;
  readonly template: Template;
}

/**
 * Builds (without synthesizing) the app as bin/registry-notices.ts does, from cdk.json's
 * context plus overrides. Use it to add to the tree before synthesis.
 */
export function buildStack(options: SynthOptions = {}): Omit<Synthesized, 'template'> {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...cdkJsonContext(),
      // Construct paths in the template's metadata let tests find resources by what they are.
      'aws:cdk:enable-path-metadata': true,
      ...options.context,
      // An empty list skips bundling for every stack; the placeholder asset keeps the template valid.
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new RegistryNoticesStack(app, 'RegistryNotices', { config: readNoticesConfig(app) });
  return { app, stack };
}

/**
 * Builds and synthesizes the app as bin/registry-notices.ts does.
 *
 * @example
 * const { template } = synthesize({ context: { notifyBatchSize: 5 } });
 */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const { app, stack } = buildStack(options);
  return { app, stack, template: Template.fromStack(stack) };
}

/** Logical id of the single resource of `type` whose construct path ends with `pathSuffix`. */
export function logicalIdOf(template: Template, type: string, pathSuffix: string): string {
  const found = Object.entries(template.findResources(type)).filter(([, r]) =>
    String((r as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? '').endsWith(pathSuffix),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  return found[0]![0];
}

/**
 * Resources of the whole stack that several test files look at, by name: each one's type and
 * construct path suffix, as {@link logicalIdOf} finds it.
 */
const STACK_RESOURCES = {
  dataKey: ['AWS::KMS::Key', '/DataKey/Resource'],
  registries: ['AWS::DynamoDB::Table', '/RegistriesTable/Resource'],
  customers: ['AWS::DynamoDB::Table', '/CustomersTable/Resource'],
  suppressions: ['AWS::DynamoDB::Table', '/SuppressionsTable/Resource'],
  unsubscribes: ['AWS::DynamoDB::Table', '/UnsubscribesTable/Resource'],
  ledger: ['AWS::DynamoDB::Table', '/LedgerTable/Resource'],
  history: ['AWS::DynamoDB::Table', '/DirectoryHistoryTable/Resource'],
  purchaseQueue: ['AWS::SQS::Queue', '/PurchaseQueue/Resource'],
  deadLetterQueue: ['AWS::SQS::Queue', '/NotifyPipeline/DeadLetterQueue/Resource'],
  quarantineQueue: ['AWS::SQS::Queue', '/NotifyPipeline/QuarantineQueue/Resource'],
  notifyFunction: ['AWS::Lambda::Function', '/NotifyFunction/Resource'],
  parameter: ['AWS::SSM::Parameter', '/KillSwitch/Parameter/Resource'],
  configurationSet: ['AWS::SES::ConfigurationSet', '/ConfigurationSet/Resource'],
  identity: ['AWS::SES::EmailIdentity', '/SenderIdentity/Resource'],
  linkKey: ['AWS::KMS::Key', '/Unsubscribe/LinkKey/Resource'],
  sealKey: ['AWS::KMS::Key', '/Unsubscribe/SealKey/Resource'],
  addressHashKey: ['AWS::KMS::Key', '/AddressHash/Key/Resource'],
  unsubscribeFunction: ['AWS::Lambda::Function', '/UnsubscribeFunction/Resource'],
  unsubscribeUrl: ['AWS::Lambda::Url', '/UnsubscribeFunction/FunctionUrl/Resource'],
  feedbackTopic: ['AWS::SNS::Topic', '/Feedback/EventsTopic/Resource'],
  feedbackQueue: ['AWS::SQS::Queue', '/Feedback/Consumer/EventsQueue/Resource'],
  feedbackDeadLetterQueue: ['AWS::SQS::Queue', '/Feedback/Consumer/DeadLetterQueue/Resource'],
  feedbackQuarantineQueue: ['AWS::SQS::Queue', '/Feedback/Consumer/QuarantineQueue/Resource'],
  feedbackFunction: ['AWS::Lambda::Function', '/Feedback/Consumer/FeedbackFunction/Resource'],
} as const satisfies Record<string, readonly [type: string, pathSuffix: string]>;

/** Logical ids of the stack's resources the tests name ({@link STACK_RESOURCES}). */
export type StackLogicalIds = { readonly [K in keyof typeof STACK_RESOURCES]: string };

/**
 * The logical ids of the resources in {@link STACK_RESOURCES}, in a template of the whole stack.
 *
 * @example
 * const id = stackLogicalIds(synthesize().template);
 * template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [id.dataKey, 'Arn'] } });
 */
export function stackLogicalIds(template: Template): StackLogicalIds {
  const entries = Object.entries(STACK_RESOURCES).map(([name, [type, pathSuffix]]) => [name, logicalIdOf(template, type, pathSuffix)]);
  return Object.fromEntries(entries) as StackLogicalIds;
}

/**
 * Asserts that an alarm fires on any message visible in a queue (`AWS/SQS`
 * `ApproximateNumberOfMessagesVisible` greater than 0): how every DLQ and quarantine is watched.
 *
 * @example
 * expectAlarmOnAnyMessageIn(template, logicalIdOf(template, 'AWS::SQS::Queue', 'RowAudit/Pipeline/DeadLetterQueue/Resource'));
 */
export function expectAlarmOnAnyMessageIn(template: Template, queueLogicalId: string): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueLogicalId, 'QueueName'] } }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
  });
}

/** An IAM policy statement as synthesized. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** Every statement of every `AWS::IAM::Policy` in the template, or of those whose construct path contains `pathPart`. */
export function policyStatements(template: Template, pathPart?: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => pathPart === undefined || String((p as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? '').includes(pathPart))
    .flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

/** The actions of a statement, always as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Whether a statement's resources reference `logicalId` (Ref, GetAtt, or inside a Join). */
export function referencesResource(statement: Statement, logicalId: string): boolean {
  return JSON.stringify(statement.Resource).includes(`"${logicalId}"`);
}

/**
 * What the role whose construct path contains `rolePathPart` may do on one table: the actions on
 * the table itself, and per index, each sorted and deduplicated across the role's statements.
 *
 * @example
 * tableGrantsOf(template, '/AuditFunctionRole/', 'DataTables/LedgerTable/Resource') // { table: ['dynamodb:GetItem', ...], indexes: { byAuditState: ['dynamodb:Query'] } }
 */
export function tableGrantsOf(template: Template, rolePathPart: string, tablePath: string): { table: string[]; indexes: Record<string, string[]> } {
  const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table', tablePath);
  const arn = JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] });
  const table = new Set<string>();
  const indexes: Record<string, Set<string>> = {};
  for (const statement of policyStatements(template, rolePathPart)) {
    for (const resource of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) {
      const text = JSON.stringify(resource);
      const index = /^\{"Fn::Join":\["",\[(.*),"\/index\/([^"]+)"\]\]\}$/.exec(text);
      if (text === arn) for (const action of actionsOf(statement)) table.add(action);
      else if (index && index[1] === arn) for (const action of actionsOf(statement)) (indexes[index[2]!] ??= new Set()).add(action);
    }
  }
  return {
    table: [...table].sort(),
    indexes: Object.fromEntries(Object.entries(indexes).map(([name, actions]) => [name, [...actions].sort()])),
  };
}
