import { DeleteObjectCommand, GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { EvidenceObjects } from './ports/evidence';

export interface S3EvidenceObjectsOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The key prefixes kept as evidence (uploads and reports), e.g. `directory/`, `send-logs/`, `reports/`. */
  readonly prefixes: readonly string[];
}

/** The import bucket's objects under the evidence prefixes: ListObjectsV2 (paginated, filtered by LastModified), GetObject streamed, DeleteObject. */
export class S3EvidenceObjects implements EvidenceObjects {
  constructor(private readonly options: S3EvidenceObjectsOptions) {}

  async *keys(modifiedSince?: Date): AsyncIterable<string> {
    const { client, bucket } = this.options;
    // ListObjectsV2 has no filter by date: the listing is whole, only the reads are spared.
    const since = modifiedSince?.getTime() ?? -Infinity;
    for (const prefix of this.options.prefixes) {
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          // An object without LastModified (never from S3) is read: better one read too many.
          if (object.Key && (object.LastModified?.getTime() ?? Infinity) >= since) yield object.Key;
        }
      }
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const { Body } = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return (Body as Readable | undefined) ?? Readable.from([]);
    } catch (error) {
      // Gone since the listing (its lifecycle, another pass): nothing left to read.
      if (error instanceof Error && error.name === 'NoSuchKey') return Readable.from([]);
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
}
