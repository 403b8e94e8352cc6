import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS_REGION, LOCAL_CREDENTIALS, s3Endpoint } from '@registry-notices/local-stack';
import { s3Client } from '../../../lambdas/platform/aws/s3-client';
import { sqsClient } from '../../../lambdas/platform/aws/sqs-client';
import { SqsQuarantine } from '../../../lambdas/platform/queues/sqs-quarantine';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { drainErasure, type ErasureDrainDeps } from '../../../lambdas/directory/drain-erased-evidence';
import { erasureDrainRequestFor, erasureDrainRequestSchema, type ErasureDrainRequest } from '../../../lambdas/directory/erasure-drain-request';
import { SqsErasureDrainFollowUps, SqsEvidenceQueue } from '../../../lambdas/directory/queues/sqs-evidence-queue';
import { S3EvidenceObjects } from '../../../lambdas/directory/s3-evidence-objects';
import { refusedEventQuarantine } from '../../../lambdas/feedback/refused-event';
import { SesEventRefusal } from '../../../lambdas/feedback/process-ses-event';
import { customerUpsertedFactory, purchaseMessageFactory, sesEventFactory, sqsRecordFactory } from '../../helpers/factories';

const ERIN = 'erin@follow-up.example';
const SAM = 'sam@follow-up.example';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The erasure drain's follow-up passes over real SDK clients and fauxqs (SQS and S3): evidence
 * that names Erin and arrives after the first pass (a purchase that dead-letters late, an SES
 * event about her address quarantined by the feedback function as about no email of ours, an
 * upload) is removed by a later pass, Sam's stays. The drain queue's delays are cut to 0 and
 * the drain's clock is set instead, so each follow-up is taken from the queue and run at once.
 */
describe('the erasure drain after its first pass', () => {
  const run = `${process.pid}-${Date.now()}`;
  let sqs: SQSClient;
  let s3: S3Client;
  let dlqUrl: string;
  let quarantineUrl: string;
  let drainQueueUrl: string;
  const bucket = `follow-up-${run}`;
  let clock: Date;
  let deps: ErasureDrainDeps;

  const bodiesOf = async (queueUrl: string): Promise<string[]> => {
    const { Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
    return messages.map((m) => m.Body ?? '').sort();
  };
  /** The drain queue's next request, as the drain function would be handed it (validated). */
  const nextRequest = async (): Promise<ErasureDrainRequest | undefined> => {
    const { Messages: [message] = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: drainQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    if (!message) return undefined;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: drainQueueUrl, ReceiptHandle: message.ReceiptHandle }));
    const parsed = erasureDrainRequestSchema.safeParse(JSON.parse(message.Body ?? ''));
    expect(parsed.error?.issues).toBeUndefined();
    return parsed.data;
  };
  const keys = async (): Promise<string[]> => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '').sort();
  /** Erin's unmatched SES event as the feedback function quarantines it (lambdas/feedback/handler.ts). */
  const quarantineSesEvent = (to: string) =>
    new SqsQuarantine({ client: sqs, queueUrl: quarantineUrl }).put(
      refusedEventQuarantine(sqsRecordFactory(sesEventFactory({ eventType: 'Bounce', to }), { eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:feedback' }), SesEventRefusal.UNKNOWN_MESSAGE, new Date()),
    );
  const line = (customerId: string, email: string) => `${JSON.stringify(customerUpsertedFactory({ customerId, email }))}\n`;

  beforeAll(async () => {
    // Prepare: a DLQ and a quarantine with Sam's evidence, the drain queue, a bucket with Sam's old upload.
    const endpoints = inject('emulatorEndpoints');
    sqs = sqsClient({ endpoint: endpoints.sqs, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    s3 = s3Client({ endpoint: s3Endpoint(endpoints), region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    const create = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${run}` }))).QueueUrl ?? '';
    [dlqUrl, quarantineUrl, drainQueueUrl] = await Promise.all([create('purchase-dlq'), create('feedback-quarantine'), create('erasure-drain')]);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify(purchaseMessageFactory({ recipientCustomerId: 'c-sam' })) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/old.jsonl', Body: line('c-sam', SAM) }));
    // The first pass's clock a second past the old upload (LastModified may count whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    deps = {
      queues: [dlqUrl, quarantineUrl].map((queueUrl) => new SqsEvidenceQueue({ client: sqs, queueUrl, holdSeconds: 30 })),
      objects: new S3EvidenceObjects({ client: s3, bucket, prefixes: ['directory/', 'send-logs/'] }),
      // No import runs here: every upload's import is over (test/integration/directory/erasure-drain-imports.test.ts has one running).
      uploads: { reads: () => true, finished: async () => true },
      safetyMs: 1000,
      followUps: new SqsErasureDrainFollowUps(sqs, drainQueueUrl, 0),
      // The stack's spacing; a two-hour horizon (the stack's is 5 days and some minutes); objects read from the previous pass's start.
      policy: { horizonMs: 2 * HOUR, spacingMs: HOUR, objectMarginMs: 0 },
      now: () => clock,
    };
  });

  afterAll(async () => {
    for (const url of [dlqUrl, quarantineUrl, drainQueueUrl]) if (url) await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    if (s3) {
      for (const key of await keys().catch(() => [])) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    }
    sqs?.destroy();
    s3?.destroy();
  });

  it('removes what names Erin and came after the first pass in a follow-up pass, reading only the new uploads, and stops at the horizon', async () => {
    // Act: the first pass, as the directory function's request asks (no followUp).
    const t0 = clock;
    const first = await drainErasure(erasureDrainRequestFor('c-erin', [addressHash(ERIN)]), deps, () => 60_000);

    // Assess: nothing of Erin's yet; Sam's old upload read; the follow-up an hour later is on the drain queue.
    expect(first).toMatchObject({ kind: 'DRAINED', pass: 'FIRST', removed: 0, objectsRead: 1, nextPassAt: new Date(t0.getTime() + HOUR).toISOString() });
    const second = await nextRequest();
    expect(second?.followUp).toEqual({ erasedAt: t0.toISOString(), previousPassAt: t0.toISOString(), nextPassAt: new Date(t0.getTime() + HOUR).toISOString() });

    // Prepare: after the pass, Erin's purchase dead-letters, her SES event is quarantined, her line is uploaded; Sam's too.
    const samPurchase = JSON.stringify(purchaseMessageFactory({ recipientCustomerId: 'c-sam' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify(purchaseMessageFactory({ recipientCustomerId: 'c-erin' })) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: samPurchase }));
    await quarantineSesEvent(ERIN);
    await quarantineSesEvent(SAM);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'directory/late.jsonl', Body: line('c-sam', SAM) + line('c-erin', ERIN) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'send-logs/sam-late.jsonl', Body: line('c-sam', SAM) }));

    // Act: the follow-up delivered a quarter of an hour in waits; delivered when due, it passes.
    clock = new Date(t0.getTime() + 15 * MINUTE);
    const waiting = await drainErasure(second!, deps, () => 60_000);
    const again = await nextRequest();
    clock = new Date(t0.getTime() + HOUR);
    const followUp = await drainErasure(again!, deps, () => 60_000);

    // Assess
    expect(waiting).toEqual({ kind: 'WAITING', customerId: 'c-erin', nextPassAt: second!.followUp!.nextPassAt, delaySeconds: 900 });
    expect(again).toEqual(second);
    expect(followUp).toMatchObject({ kind: 'DRAINED', pass: 'FOLLOW_UP', removed: 3, objectsRead: 2, objectsRemoved: 1, nextPassAt: new Date(t0.getTime() + 2 * HOUR).toISOString() });
    const dlq = await bodiesOf(dlqUrl);
    expect(dlq).toHaveLength(2);
    expect(dlq.every((b) => b.includes('"c-sam"'))).toBe(true);
    const quarantined = await bodiesOf(quarantineUrl);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toContain(SAM);
    expect(quarantined.join()).not.toContain(ERIN);
    expect(await keys()).toEqual(['directory/old.jsonl', 'send-logs/sam-late.jsonl']);

    // Act: the pass at the horizon is the last.
    const third = await nextRequest();
    clock = new Date(t0.getTime() + 2 * HOUR);
    const last = await drainErasure(third!, deps, () => 60_000);

    // Assess: it read no object (none is new), and sent nothing more.
    expect(last).toMatchObject({ kind: 'DRAINED', pass: 'FOLLOW_UP', removed: 0, objectsRead: 0 });
    expect(last).not.toHaveProperty('nextPassAt');
    expect(await nextRequest()).toBeUndefined();
  });

  it('sends a follow-up delayed as the drain function asks (15 minutes here), so it is not received before', async () => {
    // Prepare
    const followUps = new SqsErasureDrainFollowUps(sqs, drainQueueUrl);

    // Act
    await followUps.send(erasureDrainRequestFor('c-erin', []), 900);

    // Assess: delayed, so not received now.
    const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: drainQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(a.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect(await nextRequest()).toBeUndefined();
  });
});
