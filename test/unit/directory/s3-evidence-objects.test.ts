import { DeleteObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3EvidenceObjects } from '../../../lambdas/directory/s3-evidence-objects';

/**
 * The drain deletes only the version it listed (`If-Match` its ETag): a refused condition (412)
 * is a fault fauxqs does not produce (its DeleteObject takes no condition), so the client is
 * mocked for it; the listing and the delete otherwise run against fauxqs
 * (test/integration/directory/erasure-drain-imports.test.ts).
 */
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const objects = () => new S3EvidenceObjects({ client: new S3Client({ region: 'us-east-1' }), bucket: 'imports', prefixes: ['send-logs/'] });
const refusal = (name: string, status: number) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });

describe('S3EvidenceObjects', () => {
  it('lists each object with its ETag and LastModified, and deletes it If-Match that ETag', async () => {
    // Prepare
    const at = new Date('2026-03-01T10:00:00.000Z');
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'send-logs/a.jsonl', ETag: '"abc"', LastModified: at }] });
    s3.on(DeleteObjectCommand).resolves({});

    // Act
    const listed = [];
    for await (const object of objects().list()) listed.push(object);
    const removed = await objects().remove(listed[0]!);

    // Assess
    expect(listed).toEqual([{ key: 'send-logs/a.jsonl', eTag: '"abc"', lastModified: at }]);
    expect(removed).toBe('removed');
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'imports', Key: 'send-logs/a.jsonl', IfMatch: '"abc"' });
  });

  it('answers changed when another version replaced the object since it was listed (412), removed when it is gone (404)', async () => {
    // Prepare
    s3.on(DeleteObjectCommand, { Key: 'send-logs/replaced.jsonl' }).rejects(refusal('PreconditionFailed', 412));
    s3.on(DeleteObjectCommand, { Key: 'send-logs/gone.jsonl' }).rejects(refusal('NoSuchKey', 404));
    s3.on(DeleteObjectCommand, { Key: 'send-logs/denied.jsonl' }).rejects(refusal('AccessDenied', 403));

    // Act / Assess
    expect(await objects().remove({ key: 'send-logs/replaced.jsonl', eTag: '"abc"' })).toBe('changed');
    expect(await objects().remove({ key: 'send-logs/gone.jsonl', eTag: '"abc"' })).toBe('removed');
    await expect(objects().remove({ key: 'send-logs/denied.jsonl', eTag: '"abc"' })).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
