import { DeleteObjectCommand, GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { SdkError } from '@smithy/types';
import { Readable } from 'node:stream';
import type { EvidenceObjects, ListedObject } from './ports/evidence';

export interface S3EvidenceObjectsOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The key prefixes kept as evidence (uploads and reports), e.g. `directory/`, `send-logs/`, `reports/`. */
  readonly prefixes: readonly string[];
}

/** The import bucket's objects under the evidence prefixes: ListObjectsV2 (paginated, filtered by LastModified), GetObject streamed, DeleteObject `If-Match` the listed ETag. */
export class S3EvidenceObjects implements EvidenceObjects {
  constructor(private readonly options: S3EvidenceObjectsOptions) {}

  async *list(modifiedSince?: Date): AsyncIterable<ListedObject> {
    const { client, bucket } = this.options;
    // ListObjectsV2 has no filter by date: the listing is whole, only the reads are spared.
    const since = modifiedSince?.getTime() ?? -Infinity;
    for (const prefix of this.options.prefixes) {
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          // An object without LastModified (never from S3) is read: better one read too many.
          if (object.Key && (object.LastModified?.getTime() ?? Infinity) >= since) {
            yield { key: object.Key, ...(object.ETag ? { eTag: object.ETag } : {}), ...(object.LastModified ? { lastModified: object.LastModified } : {}) };
          }
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

  async remove(object: ListedObject): Promise<'removed' | 'changed'> {
    try {
      // Only the version listed (whose import the drain looked up): a newer upload at the key is judged on its own.
      // S3 checks an If-Match delete against s3:GetObject as well as s3:DeleteObject: the drain holds both.
      await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: object.key, ...(object.eTag ? { IfMatch: object.eTag } : {}) }));
      return 'removed';
    } catch (error) {
      const status = (error as SdkError | undefined)?.$metadata?.httpStatusCode;
      if (status === 412) return 'changed';
      // Gone since the listing: what was to go is gone.
      if (status === 404) return 'removed';
      throw error;
    }
  }
}
