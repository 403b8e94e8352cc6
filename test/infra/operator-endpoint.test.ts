import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { OperatorEndpoint } from '../../lib/constructs/operator-endpoint';
import { actionsOf, buildStack, logicalIdOf, policyStatements, type Statement } from './helpers';

/** The stack as `cdk synth` builds it; `extra` adds to it before synthesis. */
function withOperator(extra?: (stack: ReturnType<typeof buildStack>['stack']) => void) {
  const { stack } = buildStack();
  extra?.(stack);
  const template = Template.fromStack(stack);
  const id = (fn: CfnFunction): string => Stack.of(stack).getLogicalId(fn);
  return {
    stack,
    template,
    operatorId: id(stack.operator.operatorFunction.node.defaultChild as CfnFunction),
    auditId: id(stack.audit.auditFunction.node.defaultChild as CfnFunction),
  };
}

/** The two statements an operator needs, on the operator function only. */
function expectOperatorStatements(statements: readonly Statement[], operatorId: string): void {
  expect(statements).toHaveLength(2);
  expect(statements).toContainEqual({
    Effect: 'Allow',
    Action: 'lambda:InvokeFunctionUrl',
    Resource: { 'Fn::GetAtt': [operatorId, 'Arn'] },
    Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
  });
  expect(statements).toContainEqual({
    Effect: 'Allow',
    Action: 'lambda:InvokeFunction',
    Resource: { 'Fn::GetAtt': [operatorId, 'Arn'] },
    Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
  });
}

describe('OperatorEndpoint', () => {
  it('puts the operator function behind a function URL with AWS_IAM auth, and names it in the outputs', () => {
    // Prepare
    const { template, operatorId } = withOperator();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [operatorId, 'Arn'] } });
    // The only IAM-authorized URL (the unsubscribe endpoint's is public: its token is the authorization).
    expect(Object.keys(template.findResources('AWS::Lambda::Url', { Properties: { AuthType: 'AWS_IAM' } }))).toHaveLength(1);
    template.hasOutput('OperatorEndpointUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('OperatorFunctionFunctionUrl'), 'FunctionUrl'] } });
    template.hasOutput('OperatorPolicyArn', Match.anyValue());
  });

  it('gives operators a managed policy that may call the endpoint and nothing else', () => {
    // Prepare
    const { template, operatorId } = withOperator();

    // Act
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    const operator = policies.filter((p) => JSON.stringify(p).includes('lambda:InvokeFunctionUrl'));

    // Assess
    expect(operator).toHaveLength(1);
    expectOperatorStatements(operator[0]!.Properties.PolicyDocument.Statement, operatorId);
  });

  it('grantInvokeOperator gives a principal exactly the same two permissions', () => {
    // Prepare
    const { template, operatorId } = withOperator((stack) => {
      const onCall = new Role(stack, 'OnCallRole', { assumedBy: new AccountRootPrincipal() });
      stack.operator.grantInvokeOperator(onCall);
    });

    // Act
    const statements = policyStatements(template, '/OnCallRole/');

    // Assess
    expectOperatorStatements(statements, operatorId);
  });

  it('tells the operator function who may reveal an address: the NoticeRevealer permission set by default, or the context operatorRevealerRoles', () => {
    // Prepare
    const revealersOf = (context?: Record<string, unknown>) => {
      const { stack } = buildStack(context ? { context } : {});
      const fn = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      const operator = Object.values(fn).find((f) => JSON.stringify((f as { Metadata?: unknown }).Metadata ?? '').includes('/Operator/OperatorFunction/')) as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      };
      return operator.Properties.Environment.Variables.OPERATOR_REVEALER_ROLES;
    };

    // Act, Assess
    expect(revealersOf()).toBe('AWSReservedSSO_NoticeRevealer_*');
    expect(revealersOf({ operatorRevealerRoles: 'Privacy, user/dpo' })).toBe('Privacy,user/dpo');
  });

  it("runs with the audit function's settings and grants, plus the import's PutItem on the ledger, exactly the notice commands', PutParameter on the kill switch alone and the invoke of the preview function: no Scan, no wildcard action", () => {
    // Prepare
    const { template } = withOperator();
    const fns = template.findResources('AWS::Lambda::Function');
    const envOf = (pathPart: string) =>
      (Object.values(fns).find((f) => JSON.stringify((f as { Metadata?: unknown }).Metadata ?? '').includes(pathPart)) as {
        Properties: { Environment: { Variables: Record<string, unknown> }; Timeout: number };
      }).Properties;

    // Statement by statement (CDK merges statements of the same actions): action, resource, condition.
    const pairs = (statements: Statement[]) =>
      statements.flatMap((st) =>
        actionsOf(st).flatMap((a) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map((r) => `${a} ${JSON.stringify(r)} ${JSON.stringify(st.Condition ?? null)}`)),
      );
    const ledger = logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/LedgerTable/Resource');
    const importRows = `dynamodb:PutItem ${JSON.stringify({ 'Fn::GetAtt': [ledger, 'Arn'] })} null`;

    // Act
    const operator = envOf('/Operator/OperatorFunction/');
    const audit = envOf('/AuditApology/AuditFunction/');
    const own = pairs(policyStatements(template, '/Operator/OperatorFunctionRole/')).filter((p) => !p.includes('OperatorFunctionLogGroup'));
    const audits = pairs(policyStatements(template, '/AuditApology/AuditFunctionRole/')).filter((p) => !p.includes('AuditFunctionLogGroup'));

    // Assess
    expect(audits.length).toBeGreaterThan(8);
    expect(operator.Environment.Variables).toMatchObject(audit.Environment.Variables);
    expect(operator.Timeout).toBeLessThanOrEqual(audit.Timeout);
    expect(audits).not.toContain(importRows);
    expect(own).toEqual(expect.arrayContaining([...audits, importRows]));
    // Beyond the audit's and the import's: the notice commands' index queries, the queue sends and the DLQ redrives, setting the kill switch (sending pause|resume) and `apology preview`.
    const extra = own.filter((p) => !audits.includes(p) && p !== importRows);
    expect([...new Set(extra.map((p) => p.split(' ')[0]))].sort()).toEqual(['dynamodb:Query', 'lambda:InvokeFunction', 'sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'ssm:PutParameter']);
    const killSwitch = logicalIdOf(template, 'AWS::SSM::Parameter', 'KillSwitch/Parameter/Resource');
    const putParameter = extra.filter((p) => p.startsWith('ssm:'));
    expect(putParameter).toHaveLength(1);
    expect(putParameter[0]).toContain(killSwitch);
    const queried = extra.filter((p) => p.startsWith('dynamodb:Query')).map((p) => /index\/(\w+)/.exec(p)?.[1]);
    expect(queried).toContain('byDoubt');
    expect(queried.every((index) => index === 'byDoubt' || index === 'byAddress')).toBe(true);
    const actions = policyStatements(template, '/Operator/OperatorFunctionRole/').flatMap(actionsOf);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    // Lambda: the one invoke of the preview function (the next test); IAM: nothing.
    expect(actions.filter((a) => a.startsWith('lambda:') || a.startsWith('iam:'))).toEqual(['lambda:InvokeFunction']);
  });

  it('invokes the apology preview function, and may invoke nothing else; the preview function reads no table and renders with the sender\'s help link, shop name and unsubscribe base', () => {
    // Prepare
    const { template, operatorId } = withOperator();
    const previewId = logicalIdOf(template, 'AWS::Lambda::Function', 'Operator/ApologyPreviewFunction/Resource');
    const senderId = logicalIdOf(template, 'AWS::Lambda::Function', 'AuditApology/Apologies/SenderFunction/Resource');
    const variablesOf = (id: string) => (template.toJSON().Resources[id].Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;

    // Act
    const invokes = policyStatements(template, '/Operator/OperatorFunctionRole/').filter((st) => actionsOf(st).some((a) => a.startsWith('lambda:')));
    const previewStatements = policyStatements(template, '/Operator/ApologyPreviewFunctionRole/');
    const preview = variablesOf(previewId);
    const sender = variablesOf(senderId);

    // Assess: exactly the function, unqualified, no condition; nobody else is granted it
    expect(invokes).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [previewId, 'Arn'] } }]);
    expect(variablesOf(operatorId).APOLOGY_PREVIEW_FUNCTION_NAME).toEqual({ Ref: previewId });
    const policies = [...Object.values(template.findResources('AWS::IAM::Policy')), ...Object.values(template.findResources('AWS::IAM::ManagedPolicy'))] as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    const naming = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((st) => JSON.stringify(st.Resource).includes(`"${previewId}"`));
    expect(naming).toEqual(invokes);
    // Its own role writes its log group and nothing else.
    expect(previewStatements.flatMap(actionsOf).every((a) => a.startsWith('logs:'))).toBe(true);
    expect([sender.HELP_URL, sender.SHOP_NAME, sender.UNSUBSCRIBE_BASE_URL].every((value) => value !== undefined)).toBe(true);
    expect(preview).toMatchObject({ HELP_URL: sender.HELP_URL, SHOP_NAME: sender.SHOP_NAME, UNSUBSCRIBE_BASE_URL: sender.UNSUBSCRIBE_BASE_URL });
    expect(Object.keys(preview).filter((name) => name.endsWith('_TABLE') || name.endsWith('_QUEUE_URL'))).toEqual([]);
  });

  it('outputs the account-level guard: a Deny of lambda:InvokeFunction on the operator function unless invoked via its URL', () => {
    // Prepare
    const { stack } = buildStack();
    const template = Template.fromStack(stack);
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'Operator/OperatorFunction/Resource');

    // Act
    const guard = stack.resolve(stack.operator.directInvokeGuard().toStatementJson()) as Statement;
    const output = template.findOutputs('OperatorDirectInvokeGuard').OperatorDirectInvokeGuard;

    // Assess
    expect(guard).toEqual({
      Sid: 'OperatorFunctionOnlyViaItsUrl',
      Effect: 'Deny',
      Action: 'lambda:InvokeFunction',
      Resource: [{ 'Fn::GetAtt': [fn, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fn, 'Arn'] }, ':*']] }],
      Condition: { BoolIfExists: { 'lambda:InvokedViaFunctionUrl': 'false' } },
    });
    expect(JSON.stringify(output?.Value)).toContain('lambda:InvokedViaFunctionUrl');
    expect(JSON.stringify(output?.Value)).toContain(fn);
  });

  it('refuses a timeout longer than the audit lease allows', () => {
    // Prepare
    const { stack } = buildStack();

    // Act, Assess
    const notices = { ledger: stack.tables.ledger, purchases: stack.notify, sesEvents: stack.feedback.pipeline };
    expect(() => new OperatorEndpoint(stack, 'TooLong', { audit: stack.audit, notices, killSwitch: stack.killSwitch, timeout: Duration.minutes(10) })).toThrow(
      /timeout must be at most the audit's 300 s/,
    );
  });
});
