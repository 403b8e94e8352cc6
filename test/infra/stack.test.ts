import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../lib/config';
import { actionsOf, expectAlarmOnAnyMessageIn, logicalIdOf, policyStatements, referencesResource, stackLogicalIds, synthesize, type StackLogicalIds } from './helpers';

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** A statement of a KMS key policy, as synthesized. */
interface KeyStatement {
  readonly Effect: string;
  readonly Principal: unknown;
  readonly Action: string | string[];
  readonly Condition?: Record<string, unknown>;
}

/** The environment contract of the notify handler (plus NODE_OPTIONS for source maps). */
const NOTIFY_ENV = [
  'REGISTRIES_TABLE',
  'CUSTOMERS_TABLE',
  'SUPPRESSIONS_TABLE',
  'UNSUBSCRIBES_TABLE',
  'LEDGER_TABLE',
  'QUARANTINE_QUEUE_URL',
  'SES_CONFIGURATION_SET',
  'SENDER_ADDRESS',
  'REGISTRY_BASE_URL',
  'HELP_URL',
  'UNSUBSCRIBE_BASE_URL',
  'UNSUBSCRIBE_KEY_ARN',
  'UNSUBSCRIBE_SEAL_KEY_ARN',
  'UNSUBSCRIBE_LINK_DAYS',
  'ADDRESS_HASH_KEY_ARN',
  'KILL_SWITCH_PARAMETER',
  'LEDGER_RETENTION_DAYS',
  'SHOP_NAME',
  'PURCHASE_QUEUE_URL',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'LOG_LEVEL',
  'NODE_OPTIONS',
];

describe('RegistryNoticesStack', () => {
  let template: Template;
  let id: StackLogicalIds;

  beforeAll(() => {
    ({ template } = synthesize());
    id = stackLogicalIds(template);
  });

  describe('queues', () => {
    it('redrives a purchase message to the DLQ after 5 receives', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id.deadLetterQueue, 'Arn'] }, maxReceiveCount: 5 },
      });
    });

    it('gives the purchase queue a visibility timeout of at least 6 x the function timeout', () => {
      // Prepare
      const queue = template.toJSON().Resources[id.purchaseQueue].Properties;
      const fn = template.toJSON().Resources[id.notifyFunction].Properties;

      // Assess
      expect(fn.Timeout).toBe(30);
      expect(queue.VisibilityTimeout).toBe(180);
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Timeout);
    });

    it('keeps DLQ and quarantine messages for 14 days', () => {
      // Prepare
      const resources = template.toJSON().Resources;

      // Assess
      expect(resources[id.deadLetterQueue].Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
      expect(resources[id.quarantineQueue].Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
    });

    it('encrypts every queue with the data key and keeps it on stack deletion', () => {
      // Assess
      for (const queue of [id.purchaseQueue, id.deadLetterQueue, id.quarantineQueue]) {
        expect(template.toJSON().Resources[queue]).toMatchObject({
          DeletionPolicy: 'Retain',
          Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [id.dataKey, 'Arn'] } },
        });
      }
    });

    it('denies every queue action without TLS on every queue of the stack', () => {
      // Prepare
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as {
        Properties: { Queues: unknown[]; PolicyDocument: { Statement: unknown[] } };
      }[];

      // Assess
      const covered = policies
        .filter((p) =>
          p.Properties.PolicyDocument.Statement.some(
            (s) =>
              JSON.stringify(s) ===
              JSON.stringify({
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Resource: (s as { Resource: unknown }).Resource,
              }),
          ),
        )
        .flatMap((p) => p.Properties.Queues.map((q) => (q as { Ref: string }).Ref));
      const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
      expect(queues).toEqual(expect.arrayContaining([id.purchaseQueue, id.deadLetterQueue, id.quarantineQueue]));
      expect(covered.sort()).toEqual(queues.sort());
    });
  });

  describe('tables', () => {
    it('makes every table (six of data, one of the audit, one of the imports) on-demand, point-in-time recoverable, KMS-encrypted with the data key and retained', () => {
      // Prepare
      const tables = template.findResources('AWS::DynamoDB::Table');
      const auditTable = logicalIdOf(template, 'AWS::DynamoDB::Table', '/AuditApology/AuditTable/Resource');
      const importProgress = logicalIdOf(template, 'AWS::DynamoDB::Table', '/Imports/ProgressTable/Resource');

      // Assess
      expect(Object.keys(tables).sort()).toEqual(
        [id.registries, id.customers, id.suppressions, id.unsubscribes, id.ledger, id.history, auditTable, importProgress].sort(),
      );
      for (const table of Object.values(tables)) {
        expect(table).toMatchObject({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [id.dataKey, 'Arn'] } },
            DeletionProtectionEnabled: true,
          },
        });
      }
    });

    it('keys the registries table by pk/sk', () => {
      // Assess
      expect(template.toJSON().Resources[id.registries].Properties.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
    });

    it('indexes registries by owner in a sparse, keys-only byOwner index', () => {
      // Prepare
      const props = template.toJSON().Resources[id.registries].Properties;

      // Assess
      expect(props.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: 'byOwner',
          KeySchema: [{ AttributeName: 'ownerCustomerId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]);
      expect(props.AttributeDefinitions).toEqual(
        expect.arrayContaining([{ AttributeName: 'ownerCustomerId', AttributeType: 'S' }]),
      );
    });

    it('keys customers by customerId with the byEmailHash index projecting all attributes', () => {
      // Prepare
      const props = template.toJSON().Resources[id.customers].Properties;

      // Assess
      expect(props.KeySchema).toEqual([{ AttributeName: 'customerId', KeyType: 'HASH' }]);
      expect(props.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: 'byEmailHash',
          KeySchema: [{ AttributeName: 'emailHash', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ]);
    });

    it('keys suppressions by emailHash', () => {
      // Assess
      expect(template.toJSON().Resources[id.suppressions].Properties.KeySchema).toEqual([
        { AttributeName: 'emailHash', KeyType: 'HASH' },
      ]);
    });

    it('keys the ledger by noticeId, expires rows on expiresAt and indexes them by audit state, decided day (old and sharded), address and doubt', () => {
      // Prepare
      const props = template.toJSON().Resources[id.ledger].Properties;

      // Assess
      expect(props.KeySchema).toEqual([{ AttributeName: 'noticeId', KeyType: 'HASH' }]);
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(props.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: 'byAuditState',
          KeySchema: [
            { AttributeName: 'auditState', KeyType: 'HASH' },
            { AttributeName: 'decidedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byDecidedDay',
          KeySchema: [
            { AttributeName: 'decidedDay', KeyType: 'HASH' },
            { AttributeName: 'decidedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          // What a directory correction touches; narrow, so the notify function's later updates write no index.
          IndexName: 'byAddress',
          KeySchema: [
            { AttributeName: 'recipientAddressHash', KeyType: 'HASH' },
            { AttributeName: 'decidedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['registryId', 'itemId'] },
        },
        {
          IndexName: 'byDoubt',
          KeySchema: [
            { AttributeName: 'inDoubt', KeyType: 'HASH' },
            { AttributeName: 'settledAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          // A day's rows over 32 partitions (`<day>#<nn>`); last, so a stack with the others adds only it in one update.
          IndexName: 'byDecidedDayShard',
          KeySchema: [
            { AttributeName: 'decidedDayShard', KeyType: 'HASH' },
            { AttributeName: 'decidedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]);
      // Every index key is a string attribute the table defines, the new shard key among them.
      expect(props.AttributeDefinitions).toContainEqual({ AttributeName: 'decidedDayShard', AttributeType: 'S' });
    });

    it('keys the directory history by timeline and fact, with keys-only owner and address indexes and a sparse corrections index', () => {
      // Prepare
      const props = template.toJSON().Resources[id.history].Properties;
      const index = (name: string) => props.GlobalSecondaryIndexes.find((i: { IndexName: string }) => i.IndexName === name);

      // Assess
      expect(props.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(props.TimeToLiveSpecification).toBeUndefined();
      expect(index('byOwner')).toEqual({
        IndexName: 'byOwner',
        KeySchema: [
          { AttributeName: 'ownerCustomerId', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      });
      expect(index('byEmailHash')).toMatchObject({
        KeySchema: [
          { AttributeName: 'emailHash', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      });
      expect(index('byCorrectionDay')).toMatchObject({
        KeySchema: [
          { AttributeName: 'correctionDay', KeyType: 'HASH' },
          { AttributeName: 'appliedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: expect.arrayContaining(['effectiveAt', 'eventId', 'correctionUntil']) },
      });
    });
  });

  describe('notify function', () => {
    it('runs on Node.js 24, arm64, with a 30 s timeout', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 30,
        Handler: 'index.handler',
      });
    });

    it('gets exactly the environment the handler reads', () => {
      // Prepare
      const env = template.toJSON().Resources[id.notifyFunction].Properties.Environment.Variables;

      // Assess
      expect(Object.keys(env).sort()).toEqual([...NOTIFY_ENV].sort());
      expect(env).toMatchObject({
        REGISTRIES_TABLE: { Ref: id.registries },
        CUSTOMERS_TABLE: { Ref: id.customers },
        SUPPRESSIONS_TABLE: { Ref: id.suppressions },
        LEDGER_TABLE: { Ref: id.ledger },
        QUARANTINE_QUEUE_URL: { Ref: id.quarantineQueue },
        SES_CONFIGURATION_SET: { Ref: id.configurationSet },
        KILL_SWITCH_PARAMETER: { Ref: id.parameter },
        SENDER_ADDRESS: 'gifts@notices.example.com',
        REGISTRY_BASE_URL: 'https://www.example.com/registry',
        HELP_URL: 'https://www.example.com/help/registry-notices',
        UNSUBSCRIBES_TABLE: { Ref: id.unsubscribes },
        UNSUBSCRIBE_BASE_URL: { 'Fn::GetAtt': [id.unsubscribeUrl, 'FunctionUrl'] },
        UNSUBSCRIBE_KEY_ARN: { 'Fn::GetAtt': [id.linkKey, 'Arn'] },
        UNSUBSCRIBE_SEAL_KEY_ARN: { 'Fn::GetAtt': [id.sealKey, 'Arn'] },
        UNSUBSCRIBE_LINK_DAYS: '90',
        LEDGER_RETENTION_DAYS: '400',
        SHOP_NAME: 'Example Shop',
        PURCHASE_QUEUE_URL: { Ref: id.purchaseQueue },
        POWERTOOLS_SERVICE_NAME: 'registry-notices',
        POWERTOOLS_METRICS_NAMESPACE: 'RegistryNotices',
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it('writes to its own log group with the configured retention', () => {
      // Assess
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('NotifyFunctionLogGroup') } },
      });
    });

    it('consumes the purchase queue with partial batch responses and the batching settings from context', () => {
      // Assess
      // Seven queue consumers: notify, directory, import, row audit, feedback, apology sender, erasure drain; one of them on the purchase queue.
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 7);
      const onPurchases = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => JSON.stringify((m as { Properties: { EventSourceArn: unknown } }).Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [id.purchaseQueue, 'Arn'] }),
      );
      expect(onPurchases).toHaveLength(1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [id.purchaseQueue, 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });

    it('takes batch size, batching window and max concurrency from context', () => {
      // Act
      const { template: tuned } = synthesize({
        context: { notifyBatchSize: '50', notifyMaxBatchingWindowSeconds: 20, notifyMaxConcurrency: 3 },
      });

      // Assess
      tuned.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 20,
        ScalingConfig: { MaximumConcurrency: 3 },
      });
    });
  });

  describe('least privilege', () => {
    it('uses no managed policy (not even AWSLambdaBasicExecutionRole)', () => {
      // Assess
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect((role as { Properties: { ManagedPolicyArns?: unknown } }).Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('lets every function use the data key only through DynamoDB, SQS or S3 (kms:ViaService); where CDK grants it plainly (the SQS event source), a Deny bounds it', () => {
      // Prepare: per IAM policy, its statements that name the data key.
      type Statements = ReturnType<typeof policyStatements>;
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).map(
        (p) => (p as { Properties: { PolicyDocument: { Statement: Statements } } }).Properties.PolicyDocument.Statement.filter((st) => referencesResource(st, id.dataKey)),
      );
      const viaOurServices = /^\{"StringEquals":\{"kms:ViaService":\{"Fn::Join":\["",\["(dynamodb|sqs|s3)\.",\{"Ref":"AWS::Region"\},"\.amazonaws\.com"\]\]\}\}\}$/;

      // Assess
      let conditioned = 0;
      for (const statements of policies.filter((st) => st.length > 0)) {
        const denied = statements.some((st) => st.Effect === 'Deny' && Object.keys((st.Condition?.StringNotEquals ?? {}) as object).includes('kms:ViaService'));
        for (const st of statements.filter((x) => x.Effect !== 'Deny')) {
          if (st.Condition === undefined) {
            expect(actionsOf(st)).toEqual(['kms:Decrypt']);
            expect(denied).toBe(true);
          } else {
            expect(JSON.stringify(st.Condition)).toMatch(viaOurServices);
            conditioned += 1;
          }
        }
      }
      expect(conditioned).toBeGreaterThan(5);
    });

    it('grants no wildcard action, and dynamodb:Scan only to the one-off re-keying job (docs/data-model.md, "Re-keying")', () => {
      // Prepare
      const actions = policyStatements(template).flatMap(actionsOf);
      const scanners = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p as { Properties: { PolicyDocument: { Statement: Parameters<typeof actionsOf>[0][] } } }).Properties.PolicyDocument.Statement.some((s) => actionsOf(s).includes('dynamodb:Scan')))
        .map((p) => String((p as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? ''));

      // Assess
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(scanners).toHaveLength(1);
      expect(scanners[0]).toContain('/AddressRekey/RekeyFunctionRole/');
    });

    it('allows only the reads a notice makes: BatchGetItem on registries, GetItem on customers (and the claim\'s ConditionCheck that the owner is not erased), BatchGetItem on suppressions and unsubscribes (read together)', () => {
      // Prepare
      const actionsOn = (table: string): string[] =>
        policyStatements(template, '/NotifyFunctionRole/')
          .filter((s) => referencesResource(s, table))
          .flatMap(actionsOf)
          .sort();

      // Assess
      expect(actionsOn(id.registries)).toEqual(['dynamodb:BatchGetItem']);
      expect(actionsOn(id.customers)).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:GetItem']);
      expect(actionsOn(id.suppressions)).toEqual(['dynamodb:BatchGetItem']);
      expect(actionsOn(id.unsubscribes)).toEqual(['dynamodb:BatchGetItem']);
    });

    it('gives the notify function nothing on the registries byOwner index', () => {
      // Prepare
      const statements = policyStatements(template, '/NotifyFunctionRole/').filter((s) => referencesResource(s, id.registries));

      // Assess
      expect(JSON.stringify(statements)).not.toContain('/index/');
    });

    it('allows only conditional item writes on the ledger, no reads', () => {
      // Prepare
      const actions = policyStatements(template, '/NotifyFunctionRole/')
        .filter((s) => referencesResource(s, id.ledger))
        .flatMap(actionsOf);

      // Assess
      expect(actions.sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    });

    it('allows only sending to the quarantine', () => {
      // Prepare
      const actions = policyStatements(template, '/NotifyFunctionRole/')
        .filter((s) => referencesResource(s, id.quarantineQueue))
        .flatMap(actionsOf);

      // Assess
      expect(actions).toEqual(['sqs:SendMessage']);
    });

    it('may only put messages back on the purchase queue (deferral while paused), never receive or delete', () => {
      // Prepare
      const actions = policyStatements(template, '/NotifyFunctionRole/')
        .filter((s) => referencesResource(s, id.purchaseQueue))
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('sqs:'));

      // Assess: the event source mapping's receive/delete grants belong to the mapping's own statement.
      expect(actions).toContain('sqs:SendMessage');
      expect(actions).not.toContain('sqs:PurgeQueue');
    });

    it('allows only ssm:GetParameter, on the kill switch alone', () => {
      // Prepare
      const ssm = policyStatements(template, '/NotifyFunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));

      // Assess
      expect(ssm).toHaveLength(1);
      expect(actionsOf(ssm[0]!)).toEqual(['ssm:GetParameter']);
      expect(referencesResource(ssm[0]!, id.parameter)).toBe(true);
    });

    it('allows ses:SendEmail on the identity and the configuration set, from the sender address only', () => {
      // Prepare
      const ses = policyStatements(template, '/NotifyFunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));

      // Assess
      expect(ses).toHaveLength(1);
      expect(actionsOf(ses[0]!)).toEqual(['ses:SendEmail']);
      expect(referencesResource(ses[0]!, id.identity)).toBe(true);
      expect(referencesResource(ses[0]!, id.configurationSet)).toBe(true);
      expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'gifts@notices.example.com' } });
    });

    it('allows using the data key for its data operations only', () => {
      // Prepare
      const kms = policyStatements(template, '/NotifyFunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      const onDataKey = kms.filter((s) => referencesResource(s, id.dataKey));
      const onLinkKey = kms.filter((s) => referencesResource(s, id.linkKey));
      const onHashKey = kms.filter((s) => referencesResource(s, id.addressHashKey));
      const onSealKey = kms.filter((s) => referencesResource(s, id.sealKey));

      // Assess
      // (CDK may merge the GenerateMac statements into one naming several keys.)
      expect(new Set([...onDataKey, ...onLinkKey, ...onHashKey, ...onSealKey]).size).toBe(kms.length);
      expect([...new Set(onDataKey.flatMap(actionsOf))].sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
      // Signing unsubscribe links, HMAC-SHA-256 only; never checking them.
      expect(onLinkKey).toEqual([
        expect.objectContaining({ Action: 'kms:GenerateMac', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } } }),
      ]);
      // Deriving the address-hash key at init, HMAC-SHA-256 only (test/infra/address-hash-key.test.ts).
      expect(onHashKey).toEqual([
        expect.objectContaining({ Action: 'kms:GenerateMac', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } } }),
      ]);
      // Deriving the seal of v2 unsubscribe tokens on the first link, HMAC-SHA-256 only.
      expect(onSealKey).toEqual([
        expect.objectContaining({ Action: 'kms:GenerateMac', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } } }),
      ]);
    });
  });

  describe('mail', () => {
    it('has a configuration set with reputation metrics, sending on, TLS required, bounce and complaint suppression', () => {
      // Assess
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('verifies the sender domain from context with Easy DKIM, using the configuration set by default', () => {
      // Assess
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'notices.example.com',
        DkimAttributes: { SigningEnabled: true },
        DkimSigningAttributes: Match.absent(),
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: id.configurationSet } },
      });
    });

    it('publishes bounces and complaints to CloudWatch', () => {
      // Assess
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: id.configurationSet },
        EventDestination: {
          Enabled: true,
          CloudWatchDestination: Match.anyValue(),
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        },
      });
    });
  });

  describe('kill switch', () => {
    it('is a String parameter at the configured name, created as "false" and accepting only true/false', () => {
      // Assess
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: '/registry-notices/sending-paused',
        Type: 'String',
        Value: 'false',
        AllowedPattern: '^(true|false)$',
      });
    });
  });

  describe('alarms', () => {
    it.each([
      { queue: 'the DLQ', resource: 'deadLetterQueue' },
      { queue: 'the quarantine', resource: 'quarantineQueue' },
    ] as const)('alarms on any message in $queue', ({ resource }) => {
      // Assess
      expectAlarmOnAnyMessageIn(template, id[resource]);
    });

    it('alarms on guard blocks above the threshold from context', () => {
      // Act
      const { template: strict } = synthesize({ context: { guardBlockAlarmThreshold: 3 } });

      // Assess
      for (const [t, threshold] of [
        [template, 20],
        [strict, 3],
      ] as const) {
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'RegistryNotices',
          MetricName: 'NoticeBlocked',
          Dimensions: [{ Name: 'service', Value: 'registry-notices' }],
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: threshold,
        });
      }
    });

    it('alarms on any uncertain send', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'RegistryNotices',
        MetricName: 'SendUncertain',
        Dimensions: [{ Name: 'service', Value: 'registry-notices' }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    });

    it('alarms on any failed notify invocation', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id.notifyFunction } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    });

    it('publishes every alarm to one KMS-encrypted, TLS-only topic', () => {
      // Prepare
      const topic = logicalIdOf(template, 'AWS::SNS::Topic', '/Alarms/Topic/Resource');
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: { AlarmActions: unknown[] };
      }[];

      // Assess
      expect(alarms.length).toBeGreaterThanOrEqual(5);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it("lets CloudWatch use the topic's key only for alarms of this account and region", () => {
      // Prepare
      const topicKey = logicalIdOf(template, 'AWS::KMS::Key', '/Alarms/TopicKey/Resource');
      const keyPolicy = (template.toJSON().Resources[topicKey] as { Properties: { KeyPolicy: { Statement: KeyStatement[] } } })
        .Properties.KeyPolicy;
      const forCloudWatch = keyPolicy.Statement.filter((s) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'));

      // Assess
      expect(forCloudWatch).toHaveLength(1);
      expect(forCloudWatch[0]).toMatchObject({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
            },
          },
        },
      });
    });
  });

  it('outputs what operators and the local stack look up', () => {
    // Prepare
    const outputs = template.toJSON().Outputs;

    // Assess
    expect(outputs).toMatchObject({
      PurchaseQueueUrl: { Value: { Ref: id.purchaseQueue } },
      DeadLetterQueueUrl: { Value: { Ref: id.deadLetterQueue } },
      QuarantineQueueUrl: { Value: { Ref: id.quarantineQueue } },
      RegistriesTableName: { Value: { Ref: id.registries } },
      CustomersTableName: { Value: { Ref: id.customers } },
      SuppressionsTableName: { Value: { Ref: id.suppressions } },
      LedgerTableName: { Value: { Ref: id.ledger } },
      DirectoryHistoryTableName: { Value: { Ref: id.history } },
      KillSwitchParameterName: { Value: { Ref: id.parameter } },
      ConfigurationSetName: { Value: { Ref: id.configurationSet } },
    });
  });
});

describe('context validation', () => {
  it.each([
    ['senderDomain', 'Notices.Example.com'],
    ['senderDomain', 'localhost'],
    ['senderAddress', 'gifts@elsewhere.example.com'],
    ['senderAddress', 'not-an-address'],
    ['registryBaseUrl', 'http://www.example.com/registry'],
    ['registryBaseUrl', 'https://www.example.com/registry?x=1'],
    ['helpUrl', 'https://user:pw@www.example.com/help'],
    ['unsubscribeBaseUrl', 'javascript:alert(1)'],
    ['notifyBatchSize', 0],
    ['notifyBatchSize', 2.5],
    ['notifyBatchSize', 'ten'],
    ['notifyMaxBatchingWindowSeconds', 301],
    ['notifyMaxConcurrency', 1],
    ['ledgerRetentionDays', -1],
    ['logLevel', 'VERBOSE'],
    ['logRetentionDays', 100],
    ['guardBlockAlarmThreshold', -5],
    ['killSwitchParameterName', 'sending-paused'],
    ['killSwitchParameterName', '/aws/sending-paused'],
    ['shopName', 'Example.com'],
    ['shopName', 'Call 0800 123 4567'],
  ])('rejects %s = %j and names the key', (key, value) => {
    // Act
    const act = (): unknown => synthesize({ context: { [key]: value } });

    // Assess
    expect(act).toThrow(InvalidContextError);
    expect(act).toThrow(new RegExp(`- ${key}: `));
  });

  it('reports every bad value in one error', () => {
    // Prepare
    let error: unknown;

    // Act
    try {
      synthesize({ context: { senderDomain: 'x', helpUrl: 'ftp://x', notifyBatchSize: -1, logLevel: 'LOUD' } });
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidContextError);
    expect((error as InvalidContextError).problems.map((p) => p.split(':')[0])).toEqual([
      'senderDomain',
      'helpUrl',
      'notifyBatchSize',
      'logLevel',
    ]);
  });

  it('requires the sender and link settings, which have no default', () => {
    // Act
    const act = (): unknown => synthesize({ context: { senderDomain: undefined, registryBaseUrl: '' } });

    // Assess
    expect(act).toThrow(/senderDomain: .*got nothing/);
    expect(act).toThrow(/registryBaseUrl: .*got nothing/);
  });

  it('rejects an unknown plain key, so a typo does not silently fall back to a default', () => {
    // Act
    const act = (): unknown => synthesize({ context: { ledgerRetentiondays: 30 } });

    // Assess
    expect(act).toThrow(/ledgerRetentiondays: not a context key of this app \(did you mean ledgerRetentionDays\?\)/);
  });

  it('leaves feature flags and CDK keys alone', () => {
    // Act
    const act = (): unknown => synthesize({ context: { '@aws-cdk/core:someFlag': true, 'aws:cdk:anything': 1 } });

    // Assess
    expect(act).not.toThrow();
  });

  it('rejects batches over 10 without a batching window', () => {
    // Act
    const act = (): unknown => synthesize({ context: { notifyBatchSize: 11, notifyMaxBatchingWindowSeconds: 0 } });

    // Assess
    expect(act).toThrow(/notifyBatchSize: more than 10 records per batch needs notifyMaxBatchingWindowSeconds/);
  });
});
