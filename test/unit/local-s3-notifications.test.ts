import { describe, expect, it } from 'vitest';
import { bucketNotifications, decodeEventKey, encodeEventKey, matchesFilter, s3EventMessage } from '@registry-notices/local-stack';

const resource = (NotificationConfiguration: unknown) => ({
  logicalId: 'BNotifications',
  stackName: 'S',
  properties: { ServiceToken: 'arn', BucketName: 'b', NotificationConfiguration, Managed: true },
});

describe('local S3 event notifications', () => {
  it('reads the queue destinations, their events and key filters from CDK\'s custom resource', () => {
    // Act
    const { definition } = bucketNotifications(
      resource({
        QueueConfigurations: [
          { Events: ['s3:ObjectCreated:*'], QueueArn: 'arn:q1', Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'directory/' }, { Name: 'suffix', Value: '.jsonl' }] } } },
          { Events: ['s3:ObjectCreated:Put'], QueueArn: 'arn:q2' },
        ],
      }),
    );

    // Assess
    expect(definition).toEqual({
      logicalId: 'BNotifications',
      bucketName: 'b',
      queues: [
        { queueArn: 'arn:q1', events: ['s3:ObjectCreated:*'], prefix: 'directory/', suffix: '.jsonl' },
        { queueArn: 'arn:q2', events: ['s3:ObjectCreated:Put'] },
      ],
    });
  });

  it.each([
    [{ TopicConfigurations: [] }, /NotificationConfiguration.TopicConfigurations/],
    [{ QueueConfigurations: [{ Events: ['s3:ObjectRemoved:*'], QueueArn: 'arn:q' }] }, /s3:ObjectRemoved:\*: only new objects are noticed locally/],
  ])('fails loudly on what it cannot emulate: %j', (config, message) => {
    expect(() => bucketNotifications(resource(config))).toThrow(message);
  });

  it('matches keys by prefix and suffix as S3 does', () => {
    expect(matchesFilter('directory/a.jsonl', { prefix: 'directory/', suffix: '.jsonl' })).toBe(true);
    expect(matchesFilter('directory/a.json', { prefix: 'directory/', suffix: '.jsonl' })).toBe(false);
    expect(matchesFilter('send-logs/a.jsonl', { prefix: 'directory/' })).toBe(false);
    expect(matchesFilter('anything', {})).toBe(true);
  });

  it('writes the key of an event form-encoded, as S3 does, and reads it back', () => {
    // Act
    const body = JSON.parse(s3EventMessage({ bucket: 'b', object: { key: 'directory/Ä b+c.jsonl', size: 3, eTag: 'e' }, region: 'us-east-1', sequence: 10, at: new Date(0) }));
    const key: string = body.Records[0].s3.object.key;

    // Assess
    expect(key).toBe('directory/%C3%84+b%2Bc.jsonl');
    expect(decodeEventKey(key)).toBe('directory/Ä b+c.jsonl');
    expect(encodeEventKey('a/b c')).toBe('a/b+c');
    expect(body.Records[0]).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b', arn: 'arn:aws:s3:::b' }, object: { size: 3, eTag: 'e' } } });
  });
});
