import { randomUUID } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '@registry-notices/local-stack';
import { addressHash } from '../../lambdas/directory/address-hash';
import { noticeMailTags } from '../../lambdas/mail/mail-tags';
import { DynamoDbNoticeLedger } from '../../lambdas/notices/ledger-table/notice-ledger';
import type { QuarantineEnvelope } from '../../lambdas/platform/queues/sqs-quarantine';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { startBundledStack } from '../support/bundled-stack';

/**
 * SES events that reach the feedback queue without being SES's own about an email of ours: the
 * topic's policy refuses such a publish on AWS (test/infra/ses-feedback.test.ts); here one gets
 * through anyway (the local stack enforces no topic policy), to the feedback function as
 * bundled, and must change nothing but the quarantine. The events are published to the stack's
 * SES events topic, as a principal of the account could.
 */
describe('SES events about no email we recorded change nothing (feedback function, local stack)', () => {
  const suffix = randomUUID().slice(0, 8);
  const owner = `ona-${suffix}@feedback-forgery.example`;
  const stranger = `victim-${suffix}@feedback-forgery.example`;
  let local: LocalStack;
  let aws: AwsClients;
  let ledger: DynamoDbNoticeLedger;
  const seen: QuarantineEnvelope[] = [];

  const output = (name: string): string => {
    const value = local.outputs.values[name];
    if (!value) throw new Error(`the stack has no ${name} output`);
    return value;
  };
  const row = async (noticeId: string) =>
    (await aws.documentClient.send(new GetCommand({ TableName: output('LedgerTableName'), Key: { noticeId }, ConsistentRead: true }))).Item;
  const suppression = async (address: string) =>
    (await aws.documentClient.send(new GetCommand({ TableName: output('SuppressionsTableName'), Key: { emailHash: addressHash(address) }, ConsistentRead: true }))).Item;

  /** A notice to `owner` the stack claimed and SES took (`SENT` with `messageId`), or whose send is in doubt. */
  const notice = async (state: 'SENT' | 'UNCERTAIN', messageId?: string): Promise<string> => {
    const noticeId = `evt#forgery-${suffix}-${randomUUID().slice(0, 6)}`;
    await ledger.claim({
      noticeId,
      eventId: noticeId.slice(4),
      registryId: 'reg-forgery',
      recipientAddress: owner,
      recipientAddressHash: addressHash(owner),
      outcome: 'SENDING',
      decidedAt: new Date().toISOString(),
      sender: 'registry-notices',
    });
    if (state === 'SENT') await ledger.markSent(noticeId, messageId ?? 'none', new Date().toISOString());
    else await ledger.markUncertain(noticeId, new Date().toISOString());
    return noticeId;
  };

  const mail = (messageId: string, to: string, noticeId?: string) => ({
    timestamp: new Date().toISOString(),
    messageId,
    destination: [to],
    ...(noticeId ? { tags: Object.fromEntries(Object.entries(noticeMailTags(noticeId)).map(([name, value]) => [name, [value]])) } : {}),
  });
  const bounce = (messageId: string, to: string, noticeId?: string, bounced = to) => ({
    eventType: 'Bounce',
    mail: mail(messageId, to, noticeId),
    bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: bounced, status: '5.1.1' }], timestamp: new Date().toISOString() },
  });
  const send = (messageId: string, to: string, noticeId: string) => ({ eventType: 'Send', mail: mail(messageId, to, noticeId) });

  const publish = (event: object) => aws.sns.send(new PublishCommand({ TopicArn: output('MailEventsTopicArn'), Message: JSON.stringify(event) }));

  /** The quarantine envelope of the event with SES message id `messageId`, once the feedback function put it there. */
  const quarantined = async (messageId: string): Promise<QuarantineEnvelope> => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const found = seen.find((e) => (JSON.parse(e.body) as { mail: { messageId: string } }).mail.messageId === messageId);
      if (found) return found;
      const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: output('FeedbackQuarantineQueueUrl'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      seen.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as QuarantineEnvelope));
    }
    throw new Error(`the SES event of ${messageId} was not quarantined within 60 s`);
  };
  /** Waits (bounded) until `read` gives something `done` accepts. */
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
      const value = await read();
      if (done(value)) return value;
    }
    throw new Error('never got there');
  };

  beforeAll(async () => {
    ({ local } = await startBundledStack({ prefix: 'sesf' }));
    aws = createAwsClients();
    ledger = new DynamoDbNoticeLedger({ client: aws.documentClient, tableName: output('LedgerTableName'), retentionDays: 30 });
  }, 240_000);

  afterAll(async () => {
    await local?.stop();
    aws?.destroy();
  });

  it('does not suppress an address we never mailed on a forged bounce, tagged or not, and quarantines it with its reason', async () => {
    // Prepare: a real notice to the owner; the forger knows its id and SES message id.
    const messageId = `ses-${randomUUID()}`;
    const noticeId = await notice('SENT', messageId);
    const untagged = `ses-${randomUUID()}`;

    // Act
    await publish(bounce(messageId, stranger, noticeId));
    await publish(bounce(untagged, stranger));
    const [named, unnamed] = [await quarantined(messageId), await quarantined(untagged)];

    // Assess
    expect(named).toMatchObject({ reason: 'UNVERIFIED_EVENT', issues: [{ field: 'mail.destination', rule: 'must name only the address its email was sent to' }] });
    expect(unnamed).toMatchObject({ reason: 'UNVERIFIED_EVENT', issues: [{ field: 'mail.messageId', rule: expect.stringContaining('must be an email we sent') }] });
    expect(await suppression(stranger)).toBeUndefined();
    expect((await row(noticeId))?.sesEvents).toBeUndefined();
  });

  it("does not suppress the owner on a bounce naming their notice but another SES message id, and keeps the row's story unchanged", async () => {
    // Prepare
    const noticeId = await notice('SENT', `ses-${randomUUID()}`);
    const forged = `ses-${randomUUID()}`;
    const suppressedBefore = await suppression(owner);

    // Act
    await publish(bounce(forged, owner, noticeId));
    const envelope = await quarantined(forged);

    // Assess
    expect(envelope.issues).toEqual([{ field: 'mail.messageId', rule: 'must be the SES message id its notice or apology recorded' }]);
    expect(await suppression(owner)).toEqual(suppressedBefore);
    expect(await row(noticeId)).toMatchObject({ outcome: 'SENT', sesStrayMessageIds: new Set([forged]) });
    expect((await row(noticeId))?.sesEvents).toBeUndefined();
  });

  it('leaves a notice in doubt UNCERTAIN on a Send event naming another recipient', async () => {
    // Prepare
    const noticeId = await notice('UNCERTAIN');
    const forged = `ses-${randomUUID()}`;

    // Act
    await publish(send(forged, stranger, noticeId));
    const envelope = await quarantined(forged);

    // Assess
    expect(envelope.issues).toEqual([{ field: 'mail.destination', rule: 'must name only the address its email was sent to' }]);
    const item = await row(noticeId);
    expect(item).toMatchObject({ outcome: 'UNCERTAIN', inDoubt: 'UNCERTAIN' });
    expect(item?.sesMessageId).toBeUndefined();
    expect(item?.sesEvents).toBeUndefined();
  });

  it("still hears SES's own events: a bounce of our email suppresses its recipient, a Send settles a notice in doubt", async () => {
    // Prepare
    const messageId = `ses-${randomUUID()}`;
    const sent = await notice('SENT', messageId);
    const inDoubt = await notice('UNCERTAIN');
    const settling = `ses-${randomUUID()}`;

    // Act
    await publish(bounce(messageId, owner, sent));
    await publish(send(settling, owner, inDoubt));

    // Assess
    expect(await until(() => suppression(owner), (item) => item !== undefined)).toMatchObject({ reason: 'BOUNCE', sesMessageId: messageId });
    expect(await until(() => row(inDoubt), (item) => item?.outcome !== 'UNCERTAIN')).toMatchObject({ outcome: 'SENT', sesMessageId: settling, settledBy: 'SES_EVENT' });
    expect((await row(sent))?.sesEvents).toMatchObject({ Bounce: { messageId } });
  });
});
