import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assetCode, type CfnTemplate, decodeEventKey, type LocalStack, writeFakeAssembly } from '@registry-notices/local-stack';
import { createAwsClients } from '../support/aws-clients';
import { startOnEmulators } from '../support/emulator-stack';
import { removedAfterFile, testTempDir } from '../support/temp-dir';

const OUT_FILE = path.join(testTempDir('s3-out-'), 'records.jsonl');

/** Writes each SQS record body it gets, and the S3 endpoint it was given, one JSON line each. */
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  for (const record of event.Records) fs.appendFileSync(process.env.OUT_FILE, JSON.stringify({ body: JSON.parse(record.body), s3: process.env.AWS_ENDPOINT_URL_S3, bucket: process.env.BUCKET }) + '\\n');
};
`;

/** What CDK synthesizes for `bucket.addEventNotification(OBJECT_CREATED, new SqsDestination(queue), { prefix })`, trimmed. */
const template: CfnTemplate = {
  Resources: {
    Inbox: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
    InboxPolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Inbox' }], PolicyDocument: {} } },
    Imports: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [] }, PublicAccessBlockConfiguration: {} } },
    ImportsPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Imports' }, PolicyDocument: {} } },
    HandlerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    NotificationsHandler: {
      Type: 'AWS::Lambda::Function',
      // CDK's provider: Python, inline. The local stack must not try to run it.
      Properties: { Code: { ZipFile: 'import boto3' }, Handler: 'index.handler', Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] }, Runtime: 'python3.13', Timeout: 300 },
    },
    ImportsNotifications: {
      Type: 'Custom::S3BucketNotifications',
      Properties: {
        ServiceToken: { 'Fn::GetAtt': ['NotificationsHandler', 'Arn'] },
        BucketName: { Ref: 'Imports' },
        NotificationConfiguration: {
          QueueConfigurations: [
            { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'directory/' }] } }, QueueArn: { 'Fn::GetAtt': ['Inbox', 'Arn'] } },
          ],
        },
        Managed: true,
        SkipDestinationValidation: false,
      },
      DependsOn: ['ImportsPolicy', 'InboxPolicy'],
    },
    ReaderRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    // What CDK's SqsEventSource grants: Lambda polls the queue as the reader's role, through the local IAM gate.
    ReaderRolePolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'poll',
        Roles: [{ Ref: 'ReaderRole' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: { 'Fn::GetAtt': ['Inbox', 'Arn'] } },
          ],
        },
      },
    },
    Reader: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: assetCode('reader.zip'),
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['ReaderRole', 'Arn'] },
        Runtime: 'nodejs24.x',
        Timeout: 5,
        Environment: { Variables: { OUT_FILE, BUCKET: { Ref: 'Imports' } } },
      },
    },
    ReaderSource: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Inbox', 'Arn'] }, FunctionName: { Ref: 'Reader' }, BatchSize: 10 },
    },
  },
};

const aws = createAwsClients();
let local: LocalStack;
let bucket: string;
const lines: string[] = [];

const received = (): { body: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number } } }[] }; s3: string; bucket: string }[] =>
  existsSync(OUT_FILE) ? readFileSync(OUT_FILE, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('local stack: S3 buckets and their event notifications to SQS', () => {
  beforeAll(async () => {
    local = await startOnEmulators(removedAfterFile(writeFakeAssembly('S3Fixture', template, [{ objectKey: 'reader.zip', files: { 'index.js': HANDLER } }])), 's3', {
      bucketPollMs: 100,
      log: (line) => lines.push(line),
    });
    bucket = local.stack.resources.get('Imports')!.outputs.ref;
  });
  afterAll(async () => {
    await local?.stop();
    aws.destroy();
  });

  it('creates the bucket in the S3 emulator under a name S3 allows, and does not run the notifications provider', async () => {
    // Act
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'other/readme.txt', Body: 'hello' }));
    const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'other/readme.txt' }));

    // Assess
    expect(bucket).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(await object.Body?.transformToString()).toBe('hello');
    expect(local.stack.resources.get('NotificationsHandler')?.ignoredBecause).toMatch(/provider of Custom::S3BucketNotifications ImportsNotifications/);
    expect(local.functions.definitions.has('NotificationsHandler')).toBe(false);
  });

  it('sends the S3 event of each new object under the prefix to the queue, once, and nothing for other keys', async () => {
    // Act
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/snapshot 1.jsonl', Body: '{"a":1}\n' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/snapshot.jsonl', Body: 'x' }));
    const records = await until(received, (r) => r.length >= 1);
    await sleep(500); // several more listings: nothing new may arrive

    // Assess
    const all = received();
    expect(all).toHaveLength(1);
    const [record] = all[0]!.body.Records;
    expect(record!.eventName).toBe('ObjectCreated:Put');
    expect(record!.s3.bucket.name).toBe(bucket);
    expect(decodeEventKey(record!.s3.object.key)).toBe('directory/snapshot 1.jsonl');
    expect(record!.s3.object.size).toBe(8);
    // The reader's S3 endpoint is the local IAM gate's (its role grants no S3 action: a read would be refused).
    expect(records[0]!.s3).toBe(local.functions.gateUrl);
    expect(records[0]!.s3).not.toBe(inject('emulatorEndpoints').sqs); // fauxqs serves S3 beside SQS
  });

  it('notifies again when an object is written again with other content', async () => {
    // Prepare
    const before = received().length;

    // Act
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/snapshot 1.jsonl', Body: '{"a":2}\n{"b":3}\n' }));
    const after = await until(received, (r) => r.length > before);

    // Assess
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.body.Records[0]!.s3.object.size).toBe(16);
  });

  it('stops watching the bucket when the stack stops (a watcher left polling kept a bench process alive)', async () => {
    // Prepare
    await local.stop();
    const linesAtStop = lines.length;

    // Act: an object the watcher would notify (or fail to list), written after the stop; several poll intervals pass.
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/after-stop.jsonl', Body: '{}\n' }));
    await sleep(600);

    // Assess: the watcher said nothing more, neither a notice nor a failed listing.
    expect(lines.slice(linesAtStop).filter((l) => l.startsWith(`bucket ${bucket}`))).toEqual([]);
  });
});
