import { describe, expect, it } from 'vitest';
import { batchOutcome, sqsRecord } from '@registry-notices/local-stack';

const ids = ['m1', 'm2', 'm3'];

describe('batchOutcome with ReportBatchItemFailures', () => {
  it.each([null, undefined, {}, { batchItemFailures: [] }, { batchItemFailures: null }])(
    'treats %j as all records succeeded',
    (response) => {
      expect(batchOutcome(response, ids, true)).toEqual({ kind: 'all-succeeded' });
    },
  );

  it('reports only the failed records when the handler names them', () => {
    // Act
    const outcome = batchOutcome({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm2' }] }, ids, true);

    // Assess
    expect(outcome).toEqual({ kind: 'partial', failedMessageIds: ['m2'] });
  });

  it.each([
    [{ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }, /not a message of this batch/],
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, /empty or missing itemIdentifier/],
    [{ batchItemFailures: [{}] }, /empty or missing itemIdentifier/],
    [{ batchItemFailures: 'm1' }, /not a list/],
    ['m1', /not a batch response object/],
    [[{ itemIdentifier: 'm1' }], /not a batch response object/],
  ])('fails the whole batch, as Lambda does, for %j', (response, reason) => {
    const outcome = batchOutcome(response, ids, true);
    expect(outcome.kind).toBe('batch-failed');
    expect(outcome.kind === 'batch-failed' && outcome.reason).toMatch(reason);
  });
});

describe('batchOutcome without ReportBatchItemFailures', () => {
  it('ignores a failure report: returning means the whole batch succeeded', () => {
    expect(batchOutcome({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, ids, false)).toEqual({ kind: 'all-succeeded' });
  });
});

describe('sqsRecord', () => {
  it('shapes a received message as Lambda’s SQS event record', () => {
    // Prepare
    const message = {
      MessageId: 'm1',
      ReceiptHandle: 'rh',
      Body: '{"a":1}',
      MD5OfBody: 'md5',
      Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AID', ApproximateFirstReceiveTimestamp: '1700000000001' },
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'INVALID' } },
    };

    // Act
    const record = sqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');

    // Assess
    expect(record).toEqual({
      messageId: 'm1',
      receiptHandle: 'rh',
      body: '{"a":1}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AID', ApproximateFirstReceiveTimestamp: '1700000000001' },
      messageAttributes: { reason: { dataType: 'String', stringValue: 'INVALID', stringListValues: [], binaryListValues: [] } },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});
