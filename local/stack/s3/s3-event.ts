/** One object as the notifier saw it in a listing. */
export interface SeenObject {
  readonly key: string;
  readonly size: number;
  /** Without the quotes S3 lists it with. */
  readonly eTag: string;
}

/**
 * The message S3 sends a queue for a new object (event structure 2.1), as a Lambda behind the
 * queue reads it: `Records[0].s3.bucket.name`, `Records[0].s3.object.key` (URL-encoded, a space
 * as `+`, as S3 writes it), size and ETag.
 *
 * @example
 * JSON.parse(s3EventMessage({ bucket: 'b', object: { key: 'directory/a b.jsonl', size: 10, eTag: 'e' }, region: 'us-east-1', sequence: 1, at: new Date(0) })).Records[0].s3.object.key
 * // 'directory/a+b.jsonl'
 */
export function s3EventMessage(input: { bucket: string; object: SeenObject; region: string; sequence: number; at: Date; configurationId?: string }): string {
  const { bucket, object } = input;
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: input.region,
        eventTime: input.at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': `local-${input.sequence}`, 'x-amz-id-2': `local-${input.sequence}` },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: input.configurationId ?? 'local',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeEventKey(object.key), size: object.size, eTag: object.eTag, sequencer: input.sequence.toString(16).toUpperCase().padStart(18, '0') },
        },
      },
    ],
  });
}

/** S3 writes keys in event messages form-encoded: `/` kept, a space as `+`. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The reverse, for whoever reads an event (a Lambda handler). */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Whether an object is one the queue configuration asks to hear about (prefix and suffix of
 * the key, as S3 matches them).
 *
 * @example
 * matchesFilter('directory/a.jsonl', { prefix: 'directory/' }) // true
 */
export function matchesFilter(key: string, filter: { readonly prefix?: string; readonly suffix?: string }): boolean {
  return (filter.prefix === undefined || key.startsWith(filter.prefix)) && (filter.suffix === undefined || key.endsWith(filter.suffix));
}
