import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbFault, type DynamoDbFaultProxy, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, startDynamoDbFaults } from '@registry-notices/local-stack';
import { sqsClient } from '../../../lambdas/platform/aws/sqs-client';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { DrainIncompleteError, drainErasedEvidence } from '../../../lambdas/directory/drain-erased-evidence';
import { erasureDrainRequestFor } from '../../../lambdas/directory/erasure-drain-request';
import { SqsEvidenceQueue } from '../../../lambdas/directory/queues/sqs-evidence-queue';
import { noEvidenceObjects, noUploadImports } from '../../helpers/no-evidence-objects';

const ERIN = 'erin@erasure.example';
const HOLD_SECONDS = 2;

/**
 * The erasure drain over a real SQS client and fauxqs, through the fault proxy: SQS applies a
 * `ReceiveMessage` (the messages are hidden for the hold) and the answer is lost (connection
 * reset); the SDK retries and finds the queue empty. The pass must not report the queue drained
 * while it never saw Erin's message; once the hold ends, the retried pass deletes it.
 */
describe('the erasure drain when a receive is applied and its answer lost', () => {
  let faults: DynamoDbFaultProxy;
  let client: SQSClient;
  let queueUrl: string;
  const others = ['{"recipientCustomerId":"c-sam","email":"sam@x.example"}', '{"recipientCustomerId":"c-ann"}', '{"recipientCustomerId":"c-ben"}'];

  beforeAll(async () => {
    // Prepare: a DLQ with Erin's message among others, every request through the proxy.
    const endpoints = inject('emulatorEndpoints');
    faults = await startDynamoDbFaults(endpoints.sqs, { enabled: false });
    client = sqsClient({ endpoint: faults.url, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    ({ QueueUrl: queueUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: `drain-faults-${process.pid}-${Date.now()}` })));
    for (const body of [others[0]!, `{"email":"${ERIN}"}`, ...others.slice(1)]) await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  });

  afterAll(async () => {
    if (queueUrl) await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    client?.destroy();
    await faults?.close();
  });

  it('fails the pass while messages it never saw are hidden, and the retried pass deletes Erin’s', async () => {
    // Prepare: the first ReceiveMessage is applied and its connection reset.
    let lost = false;
    faults.choose = (operation) => (operation === 'ReceiveMessage' && !lost ? ((lost = true), DynamoDbFault.RESET_APPLIED) : null);
    faults.enabled = true;
    const deps = { queues: [new SqsEvidenceQueue({ client, queueUrl, holdSeconds: HOLD_SECONDS })], objects: noEvidenceObjects, uploads: noUploadImports, safetyMs: 1000 };
    const request = erasureDrainRequestFor('c-erin', [addressHash(ERIN)]);

    // Act
    const first = drainErasedEvidence(request, deps, () => 60_000);

    // Assess
    await expect(first).rejects.toBeInstanceOf(DrainIncompleteError);
    expect(faults.counts().byOperation['ReceiveMessage RESET_APPLIED']).toBe(1);

    // Act: the request comes back after the hold (here seconds; 16 minutes on AWS).
    await new Promise((resolve) => setTimeout(resolve, HOLD_SECONDS * 1000 + 500));
    const second = await drainErasedEvidence(request, deps, () => 60_000);

    // Assess
    expect(second.queues).toEqual({ [deps.queues[0]!.name]: { read: 4, removed: 1 } });
    const { Messages: left = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(left.map((m) => m.Body).sort()).toEqual([...others].sort());
  });
});
