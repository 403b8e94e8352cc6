import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSuppressedDestinationCommand, PutSuppressedDestinationCommand } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '@registry-notices/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { NoticeOutcome } from '../../../lambdas/notices/ledger-entry';
import { DynamoDbNoticeLedger } from '../../../lambdas/notices/ledger-table/notice-ledger';
import { customerErasedFactory, customerUpsertedFactory, sesEventFactory } from '../../helpers/factories';
import { eventually } from '../../support/apology-drain';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { startBundledStack } from '../../support/bundled-stack';

/**
 * The erasure test of issue 16: on the local stack (the bundled functions, their roles through
 * the local IAM gate), Erin has a notice in flight, an imported send-log row and a snapshot line,
 * quarantined events (purchase, directory, SES), a dead-lettered purchase and an entry on SES's
 * account suppression list. Once the shop erases her, her address is found nowhere: not in any
 * table (Scan), any queue (every message received), the import bucket (every object read) or the
 * functions' log lines; Sam's evidence beside hers is still there.
 */
const ERIN = 'ermengarde.erased@erasure-everywhere.example';
const ERIN_NAME = 'Ermengarde';
const SAM = 'sam.kept@erasure-everywhere.example';

describe('erasing a customer on the local stack: the address nowhere afterwards', () => {
  let local: LocalStack;
  let aws: AwsClients;
  const logs: string[] = [];
  const resourcesOf = (type: string): string[] => [...local.stack.resources.values()].filter((r) => r.type === type).map((r) => r.outputs.ref);
  const out = (name: string): string => local.outputs.values[name]!;
  const send = (queue: string, body: unknown) => aws.sqs.send(new SendMessageCommand({ QueueUrl: out(queue), MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }));
  const depth = async (queueUrl: string): Promise<number> => {
    const { Attributes: a = {} } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  };
  /** `eventually`, failing with the functions' last log lines (a stuck import says why). */
  const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
    await eventually(check, timeoutMs).catch(() => {
      throw new Error(`${what}: not in ${timeoutMs} ms; the functions' last log lines:\n${logs.slice(-30).join('\n')}`);
    });
  };
  const objectKeys = async (bucket: string): Promise<string[]> => ((await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);

  beforeAll(async () => {
    ({ local } = await startBundledStack({ prefix: 'erase-all', functionLog: (_, line) => logs.push(line) }));
    aws = createAwsClients();
    const bucket = out('ImportBucketName');

    // Erin and Sam, from the shop.
    await send('DirectoryQueueUrl', customerUpsertedFactory({ customerId: 'c-erin', email: ERIN, firstName: ERIN_NAME }));
    await send('DirectoryQueueUrl', customerUpsertedFactory({ customerId: 'c-sam', email: SAM, firstName: 'Sam' }));
    // A snapshot naming Erin; other systems' send logs: one naming Erin and Sam, one Sam only.
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/snapshot.jsonl', Body: `${JSON.stringify(customerUpsertedFactory({ customerId: 'c-erin', version: 2, effectiveAt: '2026-02-01T00:00:00.000Z', email: ERIN, firstName: ERIN_NAME }))}\n` }));
    const sendLogLine = (id: string, address: string) => JSON.stringify({ source: 'old-crm', sourceNoticeId: id, sentAt: '2026-03-01T10:00:00Z', registryId: 'r-erin', purchaseId: `p-${id}`, recipientAddress: address });
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'send-logs/both.jsonl', Body: `${sendLogLine('1', ERIN)}\n${sendLogLine('2', SAM)}\n` }));
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'send-logs/sam-only.jsonl', Body: `${sendLogLine('3', SAM)}\n` }));
    // Quarantined: a purchase message and a directory event that break the contract, an SES event about no email of ours.
    await send('PurchaseQueueUrl', { schemaVersion: 1, recipientCustomerId: 'c-erin', notAField: true });
    await send('DirectoryQueueUrl', { schemaVersion: 1, type: 'customer.upserted', customerId: 'c-erin', email: ERIN, firstName: ERIN_NAME, notAField: 1 });
    await send('DirectoryQueueUrl', { schemaVersion: 1, type: 'customer.upserted', customerId: 'c-sam', email: SAM, notAField: 1 });
    await send('FeedbackQueueUrl', sesEventFactory({ eventType: 'Bounce', to: ERIN }));
    // Dead-lettered purchases, as five failed receives leave them.
    await send('DeadLetterQueueUrl', { schemaVersion: 1, eventId: 'e-erin', registryId: 'r-erin', recipientCustomerId: 'c-erin' });
    await send('DeadLetterQueueUrl', { schemaVersion: 1, eventId: 'e-sam', registryId: 'r-sam', recipientCustomerId: 'c-sam' });
    // SES put her on the account suppression list after a bounce.
    await aws.ses.send(new PutSuppressedDestinationCommand({ EmailAddress: ERIN, Reason: 'BOUNCE' }));

    // The send logs imported (their rows in the ledger). The snapshot's import need not be done: the
    // drain deletes the object whether or not it was imported (on a loaded box it was still running).
    await waitFor('the send logs imported', async () => (await objectKeys(bucket)).filter((k) => /^reports\/send-logs\//.test(k)).length === 2, 240_000);
    await waitFor('the quarantined events', async () => (await depth(out('QuarantineQueueUrl'))) === 1 && (await depth(out('DirectoryQuarantineQueueUrl'))) === 2 && (await depth(out('FeedbackQuarantineQueueUrl'))) === 1, 240_000);
    await waitFor('Erin and Sam', async () => ((await aws.documentClient.send(new ScanCommand({ TableName: out('CustomersTableName') }))).Items ?? []).length === 2, 240_000);
    // A notice to Erin claimed just before the erasure: in flight, its address in the ledger.
    const ledger = new DynamoDbNoticeLedger({ client: aws.dynamodb, tableName: out('LedgerTableName'), retentionDays: 30, customersTable: out('CustomersTableName') });
    const claim = await ledger.claim({
      noticeId: 'evt#in-flight',
      eventId: 'in-flight',
      purchaseId: 'p-in-flight',
      registryId: 'r-erin',
      itemId: 'i-1',
      recipientCustomerId: 'c-erin',
      recipientAddress: ERIN,
      recipientAddressHash: addressHash(ERIN),
      outcome: NoticeOutcome.SENDING,
      decidedAt: new Date().toISOString(),
      sender: 'registry-notices',
    });
    expect(claim).toEqual({ written: true });
    // The same search finds her before: tables and objects; the queues only peeked at (received
    // with no visibility timeout: hiding their messages now would hide them from the drain).
    expect(JSON.stringify(await everything({ queues: false }))).toContain(ERIN);
    for (const [queue, naming] of [['QuarantineQueueUrl', 'c-erin'], ['DirectoryQuarantineQueueUrl', ERIN], ['FeedbackQuarantineQueueUrl', ERIN], ['DeadLetterQueueUrl', 'c-erin']] as const) {
      await waitFor(`${naming} in ${queue}`, async () => {
        const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: out(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
        return Messages.some((m) => m.Body?.includes(naming));
      }, 20_000);
    }

    // Act: the shop erases Erin.
    await send('DirectoryQueueUrl', customerErasedFactory({ customerId: 'c-erin' }));
    await waitFor('the drain', async () => logs.some((l) => l.includes('erasure evidence drained') && l.includes('c-erin')), 240_000);
  }, 600_000);

  afterAll(async () => {
    await local?.stop();
    aws?.destroy();
  });

  /** Everything the stack keeps: every table scanned, every message of every queue received, every object of every bucket read. */
  async function everything(options = { queues: true }): Promise<{ tables: unknown[]; queues: Record<string, string[]>; unseen: Record<string, number>; objects: Record<string, string> }> {
    const tables: unknown[] = [];
    for (const TableName of resourcesOf('AWS::DynamoDB::Table')) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await aws.documentClient.send(new ScanCommand({ TableName, ExclusiveStartKey }));
        tables.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    const queues: Record<string, string[]> = {};
    // Messages a queue holds that the search could not receive (hidden by someone else): it must see them all.
    const unseen: Record<string, number> = {};
    for (const QueueUrl of options.queues ? resourcesOf('AWS::SQS::Queue') : []) {
      const bodies: string[] = [];
      // Hidden for a minute each, so every message is received once; nothing consumes these queues by then.
      while ((await depth(QueueUrl)) > bodies.length) {
        const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
        if (Messages.length === 0) break;
        bodies.push(...Messages.map((m) => m.Body ?? ''));
      }
      queues[QueueUrl] = bodies;
      const left = (await depth(QueueUrl)) - bodies.length;
      if (left > 0) unseen[QueueUrl] = left;
    }
    const objects: Record<string, string> = {};
    for (const Bucket of resourcesOf('AWS::S3::Bucket')) {
      for (const Key of await objectKeys(Bucket)) {
        objects[`${Bucket}/${Key}`] = (await (await aws.s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';
      }
    }
    return { tables, queues, unseen, objects };
  }

  it('finds her address and name in no table, no queue, no object and no log line, and keeps what names Sam', async () => {
    // Act
    const { tables, queues, unseen, objects } = await everything();
    const found = (text: string) => text.toLowerCase().includes(ERIN) || text.includes(ERIN_NAME);

    // Assess
    expect(unseen).toEqual({});
    expect(tables.filter((item) => found(JSON.stringify(item)))).toEqual([]);
    expect(Object.entries(queues).flatMap(([url, bodies]) => bodies.filter(found).map((b) => `${url}: ${b.slice(0, 200)}`))).toEqual([]);
    expect(Object.entries(objects).filter(([, text]) => found(text)).map(([key]) => key)).toEqual([]);
    expect(logs.filter(found)).toEqual([]);
    // The drain's first pass sent its follow-up (through the local IAM gate) for an hour later.
    expect(logs.find((l) => l.includes('erasure evidence drained') && l.includes('c-erin'))).toMatch(/"pass":"FIRST".*"nextPassAt":"[0-9T:.-]+Z"/);
    // The in-flight claim and the imported row keep their state and hash, not the address.
    const rows = tables as Record<string, unknown>[];
    expect(rows.find((r) => r.noticeId === 'evt#in-flight')).toMatchObject({ outcome: 'SENDING', recipientErased: true, recipientAddressHash: addressHash(ERIN) });
    expect(rows.find((r) => r.noticeId === 'imp#old-crm#1')).toMatchObject({ recipientErased: true, recipientAddressHash: addressHash(ERIN) });
    // Sam's evidence stays: his quarantined event, his dead-lettered purchase (shown again at once), his send log and row.
    expect(queues[out('DirectoryQuarantineQueueUrl')]!.filter((b) => b.includes(SAM))).toHaveLength(1);
    expect(queues[out('DeadLetterQueueUrl')]!.map((b) => JSON.parse(b).eventId)).toEqual(['e-sam']);
    expect(Object.keys(objects).filter((k) => k.endsWith('/send-logs/sam-only.jsonl'))).toHaveLength(1);
    expect(rows.find((r) => r.noticeId === 'imp#old-crm#3')).toMatchObject({ recipientAddress: SAM });
  });

  it('took her off SES\u2019s account suppression list (our suppressions table, by hash, still holds)', async () => {
    // Act
    const lookup = aws.ses.send(new GetSuppressedDestinationCommand({ EmailAddress: ERIN }));

    // Assess
    await expect(lookup).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
