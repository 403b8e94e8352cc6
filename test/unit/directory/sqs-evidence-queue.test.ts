import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { drainErasedEvidence } from '../../../lambdas/directory/drain-erased-evidence';
import { erasureDrainRequestFor } from '../../../lambdas/directory/erasure-drain-request';
import { SqsEvidenceQueue } from '../../../lambdas/directory/queues/sqs-evidence-queue';
import { RetryLaterError } from '../../../lambdas/platform/function-errors';
import { noEvidenceObjects, noUploadImports } from '../../helpers/no-evidence-objects';

/**
 * A DeleteMessageBatch that deletes some entries and refuses others (HTTP 200 with `Failed`
 * entries) is a fault no emulator here produces: fauxqs deletes every valid receipt handle.
 * The client is mocked for that answer only; the drain's other paths run against fauxqs
 * (test/integration/directory/erasure-drain-faults.test.ts).
 */
const ERIN = 'erin@evidence-queue.example';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/purchase-dlq';
const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

describe('SqsEvidenceQueue when SQS refuses to delete part of a batch', () => {
  it('fails the pass naming the queue and the code (never a body), shows the others again, and leaves the refused one hidden for the retried pass', async () => {
    // Prepare: Erin's message among two others; SQS refuses to delete hers.
    const bodies = ['{"recipientCustomerId":"c-sam"}', `{"email":"${ERIN}"}`, '{"recipientCustomerId":"c-ann"}'];
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: bodies.map((Body, i) => ({ Body, ReceiptHandle: `rh-${i}` })) })
      .resolves({ Messages: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] });
    const queue = new SqsEvidenceQueue({ client: new SQSClient({ region: 'us-east-1' }), queueUrl: QUEUE_URL, holdSeconds: 900 });

    // Act
    const pass = drainErasedEvidence(erasureDrainRequestFor('c-erin', [addressHash(ERIN)]), { queues: [queue], objects: noEvidenceObjects, uploads: noUploadImports, safetyMs: 1000 }, () => 60_000);

    // Assess: a retryable failure that says where and why, and nothing of Erin.
    const error = await pass.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as Error).message).toBe('purchase-dlq refused to delete 1 messages: ReceiptHandleIsInvalid');
    expect((error as Error).message).not.toContain(ERIN);
    // Her message was the one asked to be deleted; the two others were shown again at once; hers
    // was not (it stays hidden until the hold ends, then the retried pass receives and deletes it).
    const deletes = sqs.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle));
    expect(deletes).toEqual([['rh-1']]);
    const released = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]));
    expect(released).toEqual([
      [
        ['rh-0', 0],
        ['rh-2', 0],
      ],
    ]);
  });
});
