import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, logicalIdOf, policyStatements, referencesResource, stackLogicalIds, synthesize, tableGrantsOf } from './helpers';

/** The roles (construct path of their policy) with a statement allowing `action` on `keyId`, and those statements. */
function grantsOn(template: Template, keyId: string): { role: string; actions: string[]; condition: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
    const path = String((policy as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? '');
    const statements = (policy as { Properties: { PolicyDocument: { Statement: Parameters<typeof actionsOf>[0][] } } }).Properties.PolicyDocument.Statement;
    return statements
      .filter((s) => referencesResource(s, keyId))
      .map((s) => ({ role: /\/(\w+Role)\//.exec(path)?.[1] ?? path, actions: actionsOf(s), condition: s.Condition }));
  });
}

let template: Template;
beforeAll(() => {
  ({ template } = synthesize());
});

describe('the address-hash key', () => {
  let keyId: string;

  beforeAll(() => {
    keyId = stackLogicalIds(template).addressHashKey;
  });

  it('is a retained KMS HMAC_256 key of its own, named by an output', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(keyId).not.toBe(logicalIdOf(template, 'AWS::KMS::Key', '/Unsubscribe/LinkKey/Resource'));
    template.hasOutput('AddressHashKeyArn', { Value: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('may be used only to GenerateMac (HMAC_SHA_256), by exactly the ten functions that hash addresses', () => {
    const grants = grantsOn(template, keyId);
    expect(grants.map((g) => g.role).sort()).toEqual(
      [
        'AuditFunctionRole',
        'DirectoryFunctionRole',
        'DrainFunctionRole',
        'FeedbackFunctionRole',
        'ImportFunctionRole',
        'NotifyFunctionRole',
        'OperatorFunctionRole',
        'RekeyFunctionRole',
        'SenderFunctionRole',
        'WorkerFunctionRole',
      ].sort(),
    );
    for (const grant of grants) {
      expect(grant.actions).toEqual(['kms:GenerateMac']);
      expect(grant.condition).toEqual({ StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } });
    }
  });

  it('is named to each of them as ADDRESS_HASH_KEY_ARN, and to no other function', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const named = functions.filter(([, fn]) => JSON.stringify((fn as { Properties: { Environment?: unknown } }).Properties.Environment ?? {}).includes('ADDRESS_HASH_KEY_ARN'));
    expect(named).toHaveLength(10);
    for (const [, fn] of named) {
      expect((fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables.ADDRESS_HASH_KEY_ARN).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    const unsubscribe = logicalIdOf(template, 'AWS::Lambda::Function', '/UnsubscribeFunction/Resource');
    expect(named.map(([id]) => id)).not.toContain(unsubscribe);
  });
});

// In this file to share its synth: what erasure needs (docs/data-model.md, "Erasure").
describe('erasure grants', () => {
  it('lets the directory and import functions take an address off SES\'s account suppression list, and nothing else of SES', () => {
    for (const role of ['/DirectoryFunctionRole/', '/ImportFunctionRole/']) {
      const ses = policyStatements(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
      expect(ses.map((s) => ({ actions: actionsOf(s), resource: s.Resource }))).toEqual([{ actions: ['ses:DeleteSuppressedDestination'], resource: '*' }]);
    }
    const others = policyStatements(template).filter((s) => actionsOf(s).includes('ses:DeleteSuppressedDestination'));
    expect(others).toHaveLength(2);
  });

  it('lets the import function ask who had an address then (the history\'s byEmailHash index), to import a row about an erased customer without its address', () => {
    const history = tableGrantsOf(template, '/ImportFunctionRole/', 'DataTables/DirectoryHistoryTable/Resource');
    expect(history.indexes.byEmailHash).toEqual(['dynamodb:Query']);
    expect(Object.keys(history.indexes)).toEqual(['byEmailHash']);
  });

  it('lets the notify function check, in its claim, that the owner is not erased: ConditionCheckItem on the customers table alone', () => {
    const id = stackLogicalIds(template);
    const checks = policyStatements(template, '/NotifyFunctionRole/').filter((s) => actionsOf(s).includes('dynamodb:ConditionCheckItem'));
    // (CDK merges it with the GetItem on the same table; stack.test.ts asserts the table's whole action list.)
    expect(checks).toHaveLength(1);
    expect(checks[0]!.Resource).toEqual({ 'Fn::GetAtt': [id.customers, 'Arn'] });
  });
});

// In this file to share its synth: the one-off re-keying job (docs/data-model.md, "Re-keying").
describe('the re-keying job', () => {
  const tablePaths = {
    customers: 'DataTables/CustomersTable/Resource',
    history: 'DataTables/DirectoryHistoryTable/Resource',
    ledger: 'DataTables/LedgerTable/Resource',
    suppressions: 'DataTables/SuppressionsTable/Resource',
    unsubscribes: 'DataTables/UnsubscribesTable/Resource',
  };

  it('may scan and update the three tables that hold addresses, and move items of the do-not-mail lists, and nothing else of DynamoDB', () => {
    const grants = Object.fromEntries(Object.entries(tablePaths).map(([name, path]) => [name, tableGrantsOf(template, '/RekeyFunctionRole/', path)]));
    for (const name of ['customers', 'history', 'ledger']) expect(grants[name], name).toEqual({ table: ['dynamodb:Scan', 'dynamodb:UpdateItem'], indexes: {} });
    for (const name of ['suppressions', 'unsubscribes']) {
      expect(grants[name], name).toEqual({ table: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], indexes: {} });
    }
    const dynamo = policyStatements(template, '/RekeyFunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const ids = Object.values(tablePaths).map((p) => logicalIdOf(template, 'AWS::DynamoDB::Table', p));
    for (const statement of dynamo) expect(ids.some((id) => referencesResource(statement, id))).toBe(true);
    expect(policyStatements(template, '/RekeyFunctionRole/').flatMap(actionsOf).filter((a) => /^(sqs|ses|sns|s3|lambda):/.test(a))).toEqual([]);
  });

  it('runs only when an operator invokes it: no trigger, no URL, one run at a time, its name an output', () => {
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', '/AddressRekey/RekeyFunction/Resource');
    const references = (type: string) =>
      Object.values(template.findResources(type)).filter((r) => JSON.stringify(r).includes(`"${fnId}"`));
    expect(references('AWS::Lambda::EventSourceMapping')).toEqual([]);
    expect(references('AWS::Lambda::Url')).toEqual([]);
    expect(references('AWS::Scheduler::Schedule')).toEqual([]);
    expect(template.toJSON().Resources[fnId].Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 900 });
    template.hasOutput('RekeyFunctionName', { Value: { Ref: fnId } });
  });
});
