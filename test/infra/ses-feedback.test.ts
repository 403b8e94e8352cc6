import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, logicalIdOf, policyStatements, referencesResource, stackLogicalIds, synthesize, type StackLogicalIds } from './helpers';

describe('SesFeedback (SES events back in)', () => {
  let template: Template;
  let id: StackLogicalIds;

  beforeAll(() => {
    ({ template } = synthesize());
    id = stackLogicalIds(template);
  });

  it('publishes the configuration set\'s send, delivery, bounce, complaint, reject and delay events to the topic', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: id.configurationSet },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['send', 'delivery', 'bounce', 'complaint', 'reject', 'deliveryDelay']),
        SnsDestination: { TopicARN: { Ref: id.feedbackTopic } },
      },
    });
  });

  it('encrypts the topic with the data key, lets only SES publish for this configuration set, and may use the key only for it', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [id.dataKey, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceAccount': Match.anyValue(), 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
      Topics: [{ Ref: id.feedbackTopic }],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Action: Match.arrayEquals(['kms:Decrypt', 'kms:GenerateDataKey']),
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('denies Publish to every caller but SES for this configuration set of this account, and denies nothing else', () => {
    // Prepare
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: id.feedbackTopic }] } }));
    const statements = (policy?.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }).PolicyDocument.Statement;
    const tlsOnly = (s: Record<string, unknown>) => JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } });
    const denies = statements.filter((s) => s.Effect === 'Deny' && !tlsOnly(s));
    const configurationSetArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':configuration-set/', { Ref: id.configurationSet }]],
    };

    // Assess: one Deny per way of not being SES for us (a Deny's conditions must all hold, so
    // one statement with all three would let through whoever fails only one of them).
    expect(denies).toEqual([
      { Sid: 'OnlySesPublishes', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: { Ref: id.feedbackTopic }, Condition: { StringNotEquals: { 'aws:PrincipalServiceName': 'ses.amazonaws.com' } } },
      { Sid: 'OnlyForOurConfigurationSet', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: { Ref: id.feedbackTopic }, Condition: { ArnNotLike: { 'aws:SourceArn': configurationSetArn } } },
      { Sid: 'OnlyFromOurAccount', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: { Ref: id.feedbackTopic }, Condition: { StringNotEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
    ]);
    // The SES Allow is still there, for the same configuration set; no other Allow.
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 'ses.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' }, 'AWS:SourceArn': configurationSetArn } },
      }),
    ]);
    // Besides these, only the TLS rule denies anything, and only Publish: the topic stays manageable by the account's admins.
    expect(statements.filter(tlsOnly)).toEqual([expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish' })]);
    expect(statements).toHaveLength(5);
  });

  it('delivers each event raw to an encrypted queue that dead-letters after 5 receives', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: id.feedbackTopic },
      Endpoint: { 'Fn::GetAtt': [id.feedbackQueue, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [id.dataKey, 'Arn'] },
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id.feedbackDeadLetterQueue, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('feeds the function from the queue with partial batch responses and the soft-bounce policy', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id.feedbackFunction },
      EventSourceArn: { 'Fn::GetAtt': [id.feedbackQueue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          QUARANTINE_QUEUE_URL: { Ref: id.feedbackQuarantineQueue },
          SOFT_BOUNCE_LIMIT: '3',
          SOFT_BOUNCE_WINDOW_DAYS: '7',
          LEDGER_TABLE: Match.anyValue(),
          SUPPRESSIONS_TABLE: Match.anyValue(),
          AUDIT_TABLE: Match.anyValue(),
        }),
      },
    });
  });

  it('may only update ledger rows and apology claims (never read, create or delete them), and only put or update suppressions', () => {
    // Prepare
    const tables = {
      ledger: logicalIdOf(template, 'AWS::DynamoDB::Table', 'DataTables/LedgerTable/Resource'),
      suppressions: logicalIdOf(template, 'AWS::DynamoDB::Table', '/SuppressionsTable/Resource'),
      audit: logicalIdOf(template, 'AWS::DynamoDB::Table', '/AuditApology/AuditTable/Resource'),
      registries: logicalIdOf(template, 'AWS::DynamoDB::Table', '/RegistriesTable/Resource'),
    };
    const statements = policyStatements(template, '/Feedback/Consumer/FeedbackFunctionRole/');
    const actionsOn = (table: string) => statements.filter((s) => referencesResource(s, table)).flatMap(actionsOf).sort();

    // Act, Assess
    expect(actionsOn(tables.ledger)).toEqual(['dynamodb:UpdateItem']);
    // Claims are only updated; the one read is an incident's header (its key layout), on the INCIDENTS partition alone.
    expect(actionsOn(tables.audit)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const reads = statements.filter((s) => referencesResource(s, tables.audit) && actionsOf(s).includes('dynamodb:GetItem'));
    expect(reads.map((s) => [actionsOf(s), s.Condition])).toEqual([[['dynamodb:GetItem'], { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['INCIDENTS'] } }]]);
    expect(actionsOn(tables.suppressions)).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(actionsOn(tables.registries)).toEqual([]);
    expect(statements.flatMap(actionsOf).some((a) => a.includes('Scan') || a.endsWith('*') || a.startsWith('ses:'))).toBe(false);
  });
});
