import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnsubscribeEndpoint } from '../../lib/constructs/unsubscribe-endpoint';
import { InvalidContextError } from '../../lib/config';
import { actionsOf, buildStack, logicalIdOf, policyStatements, referencesResource, stackLogicalIds, synthesize, type StackLogicalIds } from './helpers';

/** Every IAM statement that names `action` on `resourceId`, by the role (construct path) it belongs to. */
function rolesAllowed(template: Template, action: string, resourceId: string): string[] {
  const roles = new Set<string>();
  for (const [, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const path = String((policy as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? '');
    const statements = (policy as { Properties: { PolicyDocument: { Statement: Parameters<typeof actionsOf>[0][] } } }).Properties.PolicyDocument.Statement;
    if (statements.some((s) => actionsOf(s).includes(action) && referencesResource(s, resourceId))) {
      roles.add(/\/(\w+Role)\//.exec(path)?.[1] ?? path);
    }
  }
  return [...roles].sort();
}

describe('the unsubscribe endpoint', () => {
  let template: Template;
  let id: StackLogicalIds;

  beforeAll(() => {
    ({ template } = synthesize());
    id = stackLogicalIds(template);
  });

  it('is its own function behind a function URL anyone may call (AuthType NONE), rate-limited by reserved concurrency', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [id.unsubscribeFunction, 'Arn'] } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 5,
      Environment: { Variables: Match.objectLike({ UNSUBSCRIBES_TABLE: { Ref: id.unsubscribes }, UNSUBSCRIBE_KEY_ARN: { 'Fn::GetAtt': [id.linkKey, 'Arn'] } }) },
    });
    template.hasOutput('UnsubscribeEndpointUrl', { Value: { 'Fn::GetAtt': [id.unsubscribeUrl, 'FunctionUrl'] } });
  });

  it('alarms when an unsubscribe could not be recorded, and when the function fails', () => {
    // Prepare
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', '/Alarms/Topic/Resource');

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RegistryNotices',
      MetricName: 'UnsubscribeUnavailable',
      Threshold: 0,
      AlarmActions: [{ Ref: topic }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id.unsubscribeFunction } }],
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('signs links with a retained KMS HMAC_256 key', () => {
    // Assess
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    });
  });

  it('lets the senders (notify, apology sender) only sign, and the public endpoint only verify', () => {
    // Assess
    expect(rolesAllowed(template, 'kms:GenerateMac', id.linkKey)).toEqual(['NotifyFunctionRole', 'SenderFunctionRole']);
    expect(rolesAllowed(template, 'kms:VerifyMac', id.linkKey)).toEqual(['UnsubscribeFunctionRole']);
    const onKey = policyStatements(template).filter((s) => referencesResource(s, id.linkKey));
    expect(onKey.flatMap(actionsOf).filter((a) => a !== 'kms:GenerateMac' && a !== 'kms:VerifyMac')).toEqual([]);
    for (const statement of onKey) expect(statement.Condition).toEqual({ StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } });
  });

  it('seals v2 tokens with a key derived from a retained HMAC key of its own, which the senders and the endpoint may only GenerateMac on', () => {
    // Assess: its own key (the endpoint must open tokens without being able to sign them), named by an output.
    expect(id.sealKey).not.toBe(id.linkKey);
    expect(id.sealKey).not.toBe(id.addressHashKey);
    expect(template.toJSON().Resources[id.sealKey]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } });
    template.hasOutput('UnsubscribeSealKeyArn', { Value: { 'Fn::GetAtt': [id.sealKey, 'Arn'] } });
    expect(rolesAllowed(template, 'kms:GenerateMac', id.sealKey)).toEqual(['NotifyFunctionRole', 'SenderFunctionRole', 'UnsubscribeFunctionRole']);
    const onKey = policyStatements(template).filter((s) => referencesResource(s, id.sealKey));
    expect(onKey.flatMap(actionsOf).filter((a) => a !== 'kms:GenerateMac')).toEqual([]);
    for (const statement of onKey) expect(statement.Condition).toEqual({ StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ UNSUBSCRIBES_TABLE: { Ref: id.unsubscribes }, UNSUBSCRIBE_SEAL_KEY_ARN: { 'Fn::GetAtt': [id.sealKey, 'Arn'] } }) },
    });
  });

  it("may only put unsubscribes (no read, update or delete) and query the ledger's byAddress index (not the table), and nothing on any other table", () => {
    // Prepare
    const statements = policyStatements(template, '/UnsubscribeFunctionRole/');
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const onUnsubscribes = dynamo.filter((s) => referencesResource(s, id.unsubscribes));
    const onLedger = dynamo.filter((s) => referencesResource(s, id.ledger));

    // Assess
    expect(onUnsubscribes.flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
    expect(onLedger.flatMap(actionsOf)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(onLedger.map((s) => s.Resource))).toBe(JSON.stringify([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id.ledger, 'Arn'] }, '/index/byAddress']] }]));
    expect(dynamo.length).toBe(onUnsubscribes.length + onLedger.length);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:') || a.startsWith('sqs:'))).toEqual([]);
  });

  it('alarms on a flood of refused links and on any POST deferred for want of a key check', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'RegistryNotices', MetricName: 'UnsubscribeLinkRefused', Threshold: 300 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'RegistryNotices', MetricName: 'UnsubscribeDeferred', Threshold: 0 });
  });

  it('keys unsubscribes by address hash and scope, and lets the guards and the apology sender read them in a batch', () => {
    // Assess
    expect(template.toJSON().Resources[id.unsubscribes].Properties.KeySchema).toEqual([
      { AttributeName: 'emailHash', KeyType: 'HASH' },
      { AttributeName: 'scope', KeyType: 'RANGE' },
    ]);
    // (and the one-off re-keying job, which moves legacy items to the keyed hash: address-hash-key.test.ts)
    expect(rolesAllowed(template, 'dynamodb:GetItem', id.unsubscribes)).toEqual(['AuditFunctionRole', 'OperatorFunctionRole', 'RekeyFunctionRole']);
    expect(rolesAllowed(template, 'dynamodb:BatchGetItem', id.unsubscribes)).toEqual(['NotifyFunctionRole', 'SenderFunctionRole']);
  });

  it('points the links at a front of your own when unsubscribeBaseUrl is set', () => {
    // Act
    const { template: fronted } = synthesize({ context: { unsubscribeBaseUrl: 'https://www.example.com/unsubscribe' } });

    // Assess
    const notify = logicalIdOf(fronted, 'AWS::Lambda::Function', '/NotifyFunction/Resource');
    expect(fronted.toJSON().Resources[notify].Properties.Environment.Variables.UNSUBSCRIBE_BASE_URL).toBe('https://www.example.com/unsubscribe');
  });

  it('refuses a link life under 30 days, a non-https front and no concurrency, all at once', () => {
    // Prepare
    const stack = new Stack();
    const { stack: app } = buildStack();

    // Act
    const act = () =>
      new UnsubscribeEndpoint(stack, 'Bad', { tables: app.tables, shopName: 'S', linkValidityDays: 7, publicBaseUrl: 'http://x', maxConcurrency: 0 });

    // Assess
    expect(act).toThrow(/maxConcurrency.*\n.*linkValidityDays.*\n.*publicBaseUrl/s);
  });
});

describe('plainly authentic mail', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthesize());
  });

  it('gives the identity a custom MAIL FROM domain, bounce.<senderDomain> by default, so SPF aligns with From', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notices.example.com',
      MailFromAttributes: { MailFromDomain: 'bounce.notices.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
  });

  it('outputs the MAIL FROM MX and SPF records and a DMARC record to publish, p=none with the report address', () => {
    // Prepare
    const outputs = template.toJSON().Outputs;

    // Assess
    expect(outputs.MailFromMxRecord.Value).toEqual({
      'Fn::Join': ['', ['bounce.notices.example.com MX 10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']],
    });
    expect(outputs.MailFromSpfRecord.Value).toBe('bounce.notices.example.com TXT "v=spf1 include:amazonses.com ~all"');
    expect(outputs.DmarcRecord.Value).toBe('_dmarc.notices.example.com TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@notices.example.com"');
  });

  it('takes the MAIL FROM domain and the DMARC report address from context', () => {
    // Act
    const { template: custom } = synthesize({ context: { mailFromDomain: 'mail.notices.example.com', dmarcReportAddress: 'reports@dmarc.example.net' } });

    // Assess
    custom.hasResourceProperties('AWS::SES::EmailIdentity', { MailFromAttributes: Match.objectLike({ MailFromDomain: 'mail.notices.example.com' }) });
    expect(custom.toJSON().Outputs.DmarcRecord.Value).toContain('rua=mailto:reports@dmarc.example.net');
  });

  it.each([
    ['mailFromDomain', 'bounce.elsewhere.example.com', /subdomain of senderDomain/],
    ['mailFromDomain', 'notices.example.com', /subdomain of senderDomain/],
    ['dmarcReportAddress', 'reports', /plain email address/],
    ['dmarcReportAddress', 'a,b@example.com', /plain email address/],
    ['unsubscribeLinkDays', 7, /from 30 to 3650/],
    ['unsubscribeMaxConcurrency', 0, /from 1 to 100/],
    ['unsubscribeBaseUrl', 'http://www.example.com/unsubscribe', /https/],
  ])('rejects %s = %j, naming the key', (key, value, rule) => {
    // Act
    const act = (): unknown => synthesize({ context: { [key]: value } });

    // Assess
    expect(act).toThrow(InvalidContextError);
    expect(act).toThrow(new RegExp(`- ${key}: .*${rule.source}`));
  });

  it("alarms on the configuration set's complaint rate above 0.1% and bounce rate above 4%, to the alarm topic", () => {
    // Prepare
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', '/Alarms/Topic/Resource');
    const configurationSet = logicalIdOf(template, 'AWS::SES::ConfigurationSet', '/ConfigurationSet/Resource');

    // Assess
    for (const [metric, threshold] of [
      ['Reputation.ComplaintRate', 0.001],
      ['Reputation.BounceRate', 0.04],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Dimensions: [{ Name: 'ses:configuration-set', Value: { Ref: configurationSet } }],
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: topic }],
        OKActions: [{ Ref: topic }],
      });
    }
  });
});
