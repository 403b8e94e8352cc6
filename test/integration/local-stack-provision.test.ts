import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeKeyCommand, GenerateMacCommand } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CfnTemplate, LOCAL_AWS_REGION, provisionFromTemplate, resolveStackOutputs, UnsupportedPropertyError, UnsupportedResourceTypeError } from '@registry-notices/local-stack';
import { createAwsClients } from '../support/aws-clients';

const aws = createAwsClients();
afterAll(() => aws.destroy());

const prefix = (): string => `t${randomUUID().slice(0, 6)}-`;

/** A template in the shape `cdk synth` writes for our stack, cut down to what provisioning reads. */
const template: CfnTemplate = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    LinkKey: {
      Type: 'AWS::KMS::Key',
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'signs links', KeyPolicy: { Statement: [] }, PendingWindowInDays: 30 },
    },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600, KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    Purchases: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: 180,
        ReceiveMessageWaitTimeSeconds: 5,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 5 },
        Tags: [{ Key: 'service', Value: 'registry-notices' }],
      },
    },
    Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
    Ledger: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'noticeId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'noticeId', AttributeType: 'S' },
          { AttributeName: 'auditState', AttributeType: 'S' },
          { AttributeName: 'decidedAt', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byAuditState',
            KeySchema: [
              { AttributeName: 'auditState', KeyType: 'HASH' },
              { AttributeName: 'decidedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    },
    Customers: {
      // What CDK's TableV2 emits.
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'customerId', AttributeType: 'S' }],
        Replicas: [{ Region: { Ref: 'AWS::Region' } }],
      },
    },
    KillSwitch: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/registry-notices/sending-paused', Type: 'String', Value: 'false' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
  },
  Outputs: {
    PurchaseQueueUrl: { Value: { Ref: 'Purchases' } },
    LedgerTableArn: { Value: { 'Fn::GetAtt': ['Ledger', 'Arn'] } },
    DkimRecord: { Value: { 'Fn::GetAtt': ['Role', 'DkimDNSTokenName1'] } },
  },
};

describe('provisionFromTemplate', () => {
  it('creates the queues with their attributes and the redrive policy to the DLQ by ARN', async () => {
    // Act
    const stack = await provisionFromTemplate(template, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix: prefix(), region: LOCAL_AWS_REGION });

    // Assess
    const purchases = stack.resources.get('Purchases');
    const dlqArn = stack.resources.get('Dlq')?.outputs.attributes.Arn;
    const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: purchases?.outputs.ref, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({ VisibilityTimeout: '180', ReceiveMessageWaitTimeSeconds: '5' });
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 });
    expect(purchases?.notes).toEqual(['Tags: tags are not needed locally']);
    const fifo = stack.resources.get('Ordered');
    expect(fifo?.outputs.attributes.QueueName).toMatch(/-Ordered\.fifo$/);
  });

  it('creates the tables with keys, indexes and TTL, from Table and GlobalTable alike', async () => {
    // Act
    const stack = await provisionFromTemplate(template, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix: prefix(), region: LOCAL_AWS_REGION });

    // Assess
    const ledgerName = stack.resources.get('Ledger')?.outputs.ref;
    const { Table } = await aws.dynamodb.send(new DescribeTableCommand({ TableName: ledgerName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'noticeId', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byAuditState']);
    const ttl = await aws.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: ledgerName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const customers = await aws.dynamodb.send(new DescribeTableCommand({ TableName: stack.resources.get('Customers')?.outputs.ref }));
    expect(customers.Table?.KeySchema).toEqual([{ AttributeName: 'customerId', KeyType: 'HASH' }]);
  });

  it('puts the SSM parameter with its value, and resolves the outputs that exist locally', async () => {
    // Act
    const stack = await provisionFromTemplate(template, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix: prefix(), region: LOCAL_AWS_REGION });

    // Assess
    const name = stack.resources.get('KillSwitch')?.outputs.ref;
    expect(name).toMatch(/^\/t[0-9a-f]{6}-\/registry-notices\/sending-paused$/);
    const { Parameter } = await aws.ssm.send(new GetParameterCommand({ Name: name }));
    expect(Parameter?.Value).toBe('false');
    const outputs = resolveStackOutputs(stack);
    expect(outputs.values.PurchaseQueueUrl).toBe(stack.resources.get('Purchases')?.outputs.ref);
    expect(outputs.values.LedgerTableArn).toMatch(/table\//);
    expect(outputs.unavailable.DkimRecord).toMatch(/DkimDNSTokenName1/);
  });

  it('creates the KMS keys in the KMS emulator with their spec: an HMAC key signs, found by its Ref (id) and its Arn', async () => {
    // Act
    const stack = await provisionFromTemplate(template, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix: prefix(), region: LOCAL_AWS_REGION });

    // Assess
    const link = stack.resources.get('LinkKey');
    const { KeyMetadata } = await aws.kms.send(new DescribeKeyCommand({ KeyId: link?.outputs.ref }));
    expect(KeyMetadata).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'signs links', Arn: link?.outputs.attributes.Arn });
    const { Mac } = await aws.kms.send(
      new GenerateMacCommand({ KeyId: String(link?.outputs.attributes.Arn), Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(Mac).toHaveLength(32);
    expect(link?.notes).toEqual(['KeyPolicy: checked by the IAM gate for function calls only (unless enforcePolicies is false): the CLI and tests may use the key', 'PendingWindowInDays: keys are never scheduled for deletion locally']);
    const data = await aws.kms.send(new DescribeKeyCommand({ KeyId: stack.resources.get('Key')?.outputs.ref }));
    expect(data.KeyMetadata?.KeyUsage).toBe('ENCRYPT_DECRYPT');
  });

  it('gives two copies on the same emulators names of their own, also what it only names: a configuration set of one never takes the mail of the other', async () => {
    // Prepare: what SES's event publishing matches a sent mail by (the configuration set's
    // name), with no Name in the template, as CDK writes it; and a name the template does set.
    const mail: CfnTemplate = {
      Resources: {
        ConfigurationSet: { Type: 'AWS::SES::ConfigurationSet', Properties: {} },
        Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'shop.example' } },
      },
    };
    const options = { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', region: LOCAL_AWS_REGION };
    const [first, second] = [prefix(), prefix()];

    // Act
    const [a, b] = await Promise.all([provisionFromTemplate(mail, { ...options, namePrefix: first }), provisionFromTemplate(mail, { ...options, namePrefix: second })]);

    // Assess
    expect(a.resources.get('ConfigurationSet')?.outputs.ref).toBe(`${first}Prov-ConfigurationSet`);
    expect(b.resources.get('ConfigurationSet')?.outputs.ref).toBe(`${second}Prov-ConfigurationSet`);
    expect([a, b].map((stack) => stack.resources.get('Identity')?.outputs.ref)).toEqual(['shop.example', 'shop.example']);
  });

  it('refuses a template with an unsupported resource type before creating anything', async () => {
    // Prepare
    const namePrefix = prefix();
    const withRule: CfnTemplate = { Resources: { ...template.Resources, Nightly: { Type: 'AWS::Events::Rule' } } };

    // Act
    const act = provisionFromTemplate(withRule, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix, region: LOCAL_AWS_REGION });

    // Assess
    await expect(act).rejects.toThrow(UnsupportedResourceTypeError);
    const { QueueUrls = [] } = await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: namePrefix }));
    expect(QueueUrls).toEqual([]);
  });

  it('refuses a queue property it does not know, naming the resource', async () => {
    // Prepare
    const odd: CfnTemplate = { Resources: { Odd: { Type: 'AWS::SQS::Queue', Properties: { ShinyNewSetting: true } } } };

    // Act
    const act = provisionFromTemplate(odd, { endpoints: inject('emulatorEndpoints'), stackName: 'Prov', namePrefix: prefix(), region: LOCAL_AWS_REGION });

    // Assess
    await expect(act).rejects.toThrow(UnsupportedPropertyError);
    await expect(act).rejects.toThrow(/Odd \(AWS::SQS::Queue\) sets ShinyNewSetting/);
  });
});
