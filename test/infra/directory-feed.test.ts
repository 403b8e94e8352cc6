import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErasureDrain, ERASURE_LATE_ARRIVAL, erasureFollowUpHorizon, SQS_DEFAULT_RETENTION } from '../../lib/constructs/erasure-drain';
import { IMPORT_TIMEOUT, S3LineImport } from '../../lib/constructs/s3-line-import';
import { actionsOf, buildStack, logicalIdOf, policyStatements, referencesResource, tableGrantsOf } from './helpers';

describe('DirectoryFeed and S3LineImport in the stack', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
  });

  const directoryGrants = (table: string) => tableGrantsOf(template, '/DirectoryFunctionRole/', table);
  const importGrants = (table: string) => tableGrantsOf(template, '/ImportFunctionRole/', table);

  it('consumes the directory queue with partial batch responses, the queue redriving to its DLQ after 5 receives', () => {
    // Prepare
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'DirectoryFeed/DirectoryQueue/Resource');
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'DirectoryFeed/DeadLetterQueue/Resource');
    const dataKey = logicalIdOf(template, 'AWS::KMS::Key', '/DataKey/Resource');

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(template.toJSON().Resources[queue].Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] },
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('lets the directory function write the current rows and the history without reading them, and never Scan', () => {
    // Act
    const registries = directoryGrants('DataTables/RegistriesTable/Resource');
    const customers = directoryGrants('DataTables/CustomersTable/Resource');
    const history = directoryGrants('DataTables/DirectoryHistoryTable/Resource');
    const ledger = directoryGrants('DataTables/LedgerTable/Resource');

    // Assess
    // What directory-store.ts calls: registries put and delete (an item leaves), customers put only,
    // the history queried, put and updated (the erasure's scrub), never deleted.
    expect(registries).toEqual({ table: ['dynamodb:DeleteItem', 'dynamodb:PutItem'], indexes: {} });
    expect(customers).toEqual({ table: ['dynamodb:PutItem'], indexes: {} });
    expect(history).toEqual({ table: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], indexes: {} });
    // Erasure: finds the rows mailed to an address, and updates them; it can neither add nor delete a ledger row.
    expect(ledger).toEqual({ table: ['dynamodb:UpdateItem'], indexes: { byAddress: ['dynamodb:Query'] } });
    expect(policyStatements(template, '/DirectoryFunctionRole/').flatMap(actionsOf).some((a) => a.includes('Scan') || a.endsWith('*'))).toBe(false);
  });

  it('gives the directory function its tables and its own queue (deferrals) in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DIRECTORY_HISTORY_TABLE: Match.anyValue(),
          REGISTRIES_TABLE: Match.anyValue(),
          CUSTOMERS_TABLE: Match.anyValue(),
          LEDGER_TABLE: Match.anyValue(),
          DIRECTORY_QUEUE_URL: Match.anyValue(),
          QUARANTINE_QUEUE_URL: Match.anyValue(),
        }),
      },
    });
  });

  it('notifies the import queue of new objects under directory/ and send-logs/ in a bucket encrypted with the data key, public access blocked', () => {
    // Prepare
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'Imports/Bucket/Resource');
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'Imports/Pipeline/ImportQueue/Resource');
    const dataKey = logicalIdOf(template, 'AWS::KMS::Key', '/DataKey/Resource');

    // Assess
    expect(template.toJSON().Resources[bucket].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [dataKey, 'Arn'] } }, BucketKeyEnabled: true }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(template, 'AWS::S3::Bucket', 'Imports/AccessLogs/Resource') } },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucket },
      NotificationConfiguration: {
        QueueConfigurations: [
          { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'directory/' }] } }, QueueArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'send-logs/' }] } }, QueueArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        ],
      },
    });
  });

  it('lets the import function read uploads, write only reports, keep its progress, apply directory events as the directory function does and put send-log rows', () => {
    // Prepare
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'Imports/Bucket/Resource');
    const s3 = policyStatements(template, '/ImportFunctionRole/').filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));

    // Assess
    expect(s3.map((s) => [actionsOf(s), JSON.stringify(s.Resource)])).toEqual([
      [['s3:GetObject'], JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] })],
      [['s3:PutObject'], JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/reports/*']] })],
    ]);
    // Progress is started, advanced and read back, never deleted (it expires by TTL).
    expect(importGrants('Imports/ProgressTable/Resource').table).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(importGrants('DataTables/RegistriesTable/Resource')).toEqual(directoryGrants('DataTables/RegistriesTable/Resource'));
    // Erasures as the directory function makes them, and send-log rows: PutItem alone, conditional on the key.
    const directoryOnLedger = directoryGrants('DataTables/LedgerTable/Resource');
    expect(importGrants('DataTables/LedgerTable/Resource')).toEqual({ ...directoryOnLedger, table: [...directoryOnLedger.table, 'dynamodb:PutItem'].sort() });
    // The source days of imported send logs, 25 to a request; nothing else of the audit table.
    expect(importGrants('AuditApology/AuditTable/Resource')).toEqual({ table: ['dynamodb:BatchWriteItem'], indexes: {} });
    const auditTable = logicalIdOf(template, 'AWS::DynamoDB::Table', 'AuditApology/AuditTable/Resource');
    const onAudit = policyStatements(template, '/ImportFunctionRole/').filter((s) => JSON.stringify(s.Resource).includes(auditTable));
    expect(onAudit.map((s) => s.Condition)).toEqual([{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SOURCE#*'] } }]);
  });

  it('outputs where the shop sends directory events and where snapshots are uploaded', () => {
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['DirectoryQueueUrl', 'DirectoryQueueArn', 'DirectoryDeadLetterQueueUrl', 'DirectoryQuarantineQueueUrl', 'DirectoryFunctionName', 'ImportBucketName', 'ImportProgressTableName']),
    );
  });

  it('lets the erasure drain read, delete and show again the messages of exactly the eight evidence queues, and list, read and delete only under the import prefixes', () => {
    // Prepare
    const evidence = ['NotifyPipeline', 'DirectoryFeed', 'Imports/Pipeline', 'Feedback/Consumer']
      .flatMap((owner) => [`${owner}/DeadLetterQueue/Resource`, `${owner}/QuarantineQueue/Resource`])
      .map((path) => logicalIdOf(template, 'AWS::SQS::Queue', path))
      .sort();
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const drain = policyStatements(template, '/DrainFunctionRole/');
    const onQueues = drain.filter((s) => actionsOf(s).includes('sqs:ReceiveMessage') && !queues.some((q) => q.includes('ErasureDrain') && JSON.stringify(s.Resource).includes(q)));
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'Imports/Bucket/Resource');

    // Assess
    expect(onQueues).toHaveLength(1);
    expect(actionsOf(onQueues[0]!).sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
    expect(queues.filter((q) => referencesResource(onQueues[0]!, q)).sort()).toEqual(evidence);
    // The queues' keys only through SQS, the bucket's only through S3 (and the progress table's through DynamoDB: the next test).
    const decrypts = drain.filter((s) => s.Effect === 'Allow' && actionsOf(s).join() === 'kms:Decrypt' && s.Condition);
    expect(decrypts.map((s) => /"(sqs|s3|dynamodb)\."/.exec(JSON.stringify(s.Condition))?.[1]).sort()).toEqual(['dynamodb', 's3', 'sqs']);
    const importQueueKey = logicalIdOf(template, 'AWS::KMS::Key', 'Imports/QueueKey/Resource');
    expect(decrypts.find((s) => JSON.stringify(s.Condition).includes('"sqs.'))!.Resource).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [importQueueKey, 'Arn'] }]));
    const onObjects = drain.find((s) => actionsOf(s).includes('s3:DeleteObject'))!;
    expect(actionsOf(onObjects).sort()).toEqual(['s3:DeleteObject', 's3:GetObject']);
    expect(JSON.stringify(onObjects.Resource)).toContain(bucket);
    expect((JSON.stringify(onObjects.Resource).match(/\/(directory|send-logs|reports)\/\*/g) ?? []).sort()).toEqual(['/directory/*', '/reports/*', '/send-logs/*']);
    expect(drain.find((s) => actionsOf(s).includes('s3:ListBucket'))?.Condition).toEqual({ StringLike: { 's3:prefix': ['directory/*', 'send-logs/*', 'reports/*'] } });
    // No table but the import progress one (read: the next test), no mail, no wildcard action.
    expect(drain.flatMap(actionsOf).filter((a) => (a.startsWith('dynamodb:') && a !== 'dynamodb:GetItem') || a.startsWith('ses:') || a.endsWith('*'))).toEqual([]);
    // One pass at a time.
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('erased customer'), ReservedConcurrentExecutions: 1 });
  });

  it('lets the erasure drain read the import progress table (GetItem, that table alone, its key through DynamoDB) and tells it the table and the imported prefixes', () => {
    // Prepare
    const progressTable = logicalIdOf(template, 'AWS::DynamoDB::Table', 'Imports/ProgressTable/Resource');
    const drainFunction = logicalIdOf(template, 'AWS::Lambda::Function', 'ErasureDrain/Pipeline/DrainFunction/Resource');
    const drain = policyStatements(template, '/DrainFunctionRole/');

    // Act
    const onTables = drain.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const variables = template.toJSON().Resources[drainFunction].Properties.Environment.Variables;

    // Assess: one statement, GetItem on the progress table and nothing else (no index, no other table).
    expect(tableGrantsOf(template, '/DrainFunctionRole/', 'Imports/ProgressTable/Resource')).toEqual({ table: ['dynamodb:GetItem'], indexes: {} });
    expect(onTables).toHaveLength(1);
    expect(onTables[0]!.Resource).toEqual({ 'Fn::GetAtt': [progressTable, 'Arn'] });
    // The table's key: Decrypt only (a read), only through DynamoDB.
    const viaDynamoDb = drain.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Condition ?? {}).includes('"dynamodb.'));
    expect(viaDynamoDb.map(actionsOf)).toEqual([['kms:Decrypt']]);
    expect(variables.IMPORT_PROGRESS_TABLE).toEqual({ Ref: progressTable });
    expect(variables.IMPORTED_OBJECT_PREFIXES).toBe('directory/,send-logs/');
    expect(variables.EVIDENCE_OBJECT_PREFIXES).toBe('directory/,send-logs/,reports/');
  });

  it('lets the directory and import functions ask for the drain, and nothing more of its queue', () => {
    // Prepare
    const drainQueue = logicalIdOf(template, 'AWS::SQS::Queue', 'ErasureDrain/Pipeline/DrainQueue/Resource');

    // Act
    const asking = (role: string) => policyStatements(template, role).filter((s) => referencesResource(s, drainQueue)).flatMap(actionsOf);

    // Assess
    expect(asking('/DirectoryFunctionRole/')).toEqual(['sqs:SendMessage']);
    expect(asking('/ImportFunctionRole/')).toEqual(['sqs:SendMessage']);
  });

  it('lets the erasure drain send its follow-ups to its own queue, and tells it that queue and the horizon of the four source queues', () => {
    // Prepare
    const drainQueue = logicalIdOf(template, 'AWS::SQS::Queue', 'ErasureDrain/Pipeline/DrainQueue/Resource');
    const drainFunction = logicalIdOf(template, 'AWS::Lambda::Function', 'ErasureDrain/Pipeline/DrainFunction/Resource');
    const sources = ['/PurchaseQueue/Resource', 'DirectoryFeed/DirectoryQueue/Resource', 'Imports/Pipeline/ImportQueue/Resource', 'Feedback/Consumer/EventsQueue/Resource'];

    // Act
    const onOwnQueue = policyStatements(template, '/DrainFunctionRole/').filter((s) => referencesResource(s, drainQueue)).flatMap(actionsOf).sort();
    const variables = template.toJSON().Resources[drainFunction].Properties.Environment.Variables;

    // Assess: its consumer's grants (event source mapping), and SendMessage for the follow-ups.
    expect(onOwnQueue).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage']);
    expect(variables.ERASURE_DRAIN_QUEUE_URL).toEqual({ Ref: drainQueue });
    // The sources keep SQS's default retention (4 days); the longest consumer timeout is the import's.
    for (const path of sources) expect(template.toJSON().Resources[logicalIdOf(template, 'AWS::SQS::Queue', path)].Properties.MessageRetentionPeriod).toBeUndefined();
    expect(variables.ERASURE_FOLLOW_UP_HORIZON_SECONDS).toBe(String(SQS_DEFAULT_RETENTION.toSeconds() + IMPORT_TIMEOUT.toSeconds() + ERASURE_LATE_ARRIVAL.toSeconds()));
    expect(variables.ERASURE_FOLLOW_UP_HORIZON_SECONDS).toBe('432300');
  });

  it('derives the follow-up horizon from each source queue’s retention (SQS’s 4 days when unset) and consumer timeout', () => {
    // Prepare
    const stack = new Stack(new App(), 'Horizon');
    const kept = new Queue(stack, 'Kept', { retentionPeriod: Duration.days(7) });
    const plain = new Queue(stack, 'Plain');

    // Act
    const horizon = (sources: Parameters<typeof erasureFollowUpHorizon>[0]) => erasureFollowUpHorizon(sources).toHours();

    // Assess
    expect(horizon([{ queue: plain, consumer: { timeout: Duration.hours(1) } }])).toBe(4 * 24 + 1 + 24);
    expect(horizon([{ queue: plain, consumer: {} }, { queue: kept, consumer: { timeout: Duration.hours(2) } }])).toBe(7 * 24 + 2 + 24);
  });

  it('refuses an erasure drain without source queues, or with a retention unknown at synthesis', () => {
    // Prepare
    const { stack } = buildStack();
    const unknown = new Queue(stack, 'UnknownRetention', { retentionPeriod: Duration.seconds(Token.asNumber({ Ref: 'Retention' })) });
    const imports = { prefixes: ['directory/'], progressTable: stack.imports.progressTable };
    const props = { encryptionKey: stack.dataKey, evidenceQueues: [stack.notify.deadLetterQueue], importBucket: stack.imports.bucket, objectPrefixes: ['directory/'], imports };

    // Act / Assess
    expect(() => new ErasureDrain(stack, 'NoSources', { ...props, sources: [] })).toThrow(/sources: give at least one source queue/);
    expect(() => new ErasureDrain(stack, 'Unknown', { ...props, sources: [{ queue: unknown, consumer: {} }] })).toThrow(/UnknownRetention needs a retention known at synthesis/);
    const sources = [{ queue: stack.notify.purchaseQueue, consumer: {} }];
    expect(() => new ErasureDrain(stack, 'Unlisted', { ...props, sources, imports: { ...imports, prefixes: ['send-logs/'] } })).toThrow(/imports.prefixes: "send-logs\/" must be one of objectPrefixes/);
  });

  it('refuses bad prefixes and retention, all reported together', () => {
    // Prepare
    const { stack } = buildStack();

    // Act
    const act = () => new S3LineImport(stack, 'Bad', { encryptionKey: stack.dataKey, prefixes: ['Directory', 'reports/'], objectRetentionDays: 0 });

    // Assess
    expect(act).toThrow(/"Directory" must be lower-case[\s\S]*"reports\/" holds the reports[\s\S]*objectRetentionDays must be a positive integer/);
  });
});
