import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SdkError } from '@smithy/types';
import { Readable } from 'node:stream';
import { ObjectChangedError, ObjectStoreError } from '../function-errors';
import type { ObjectStore } from './object-store';
import { s3Client } from '../aws/s3-client';

export interface S3ObjectStoreOptions {
  /** @default s3Client() - region, credentials and endpoint from the environment */
  readonly client?: Pick<S3Client, 'send'>;
}

/**
 * S3 GetObject (from a byte, streamed, optionally `If-Match`) and PutObject through the SDK's
 * `S3Client`. S3's refusals become {@link ObjectStoreError} with their status; a failed
 * `If-Match` is an {@link ObjectChangedError}.
 *
 * @example
 * const store = new S3ObjectStore({ client: s3 });
 * for await (const chunk of await store.read('imports', 'directory/snap.jsonl', { fromByte: 0 })) ...
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: Pick<S3Client, 'send'>;

  constructor(options: S3ObjectStoreOptions = {}) {
    this.#client = options.client ?? s3Client();
  }

  async read(bucket: string, key: string, options: { fromByte: number; ifMatch?: string }): Promise<AsyncIterable<Uint8Array>> {
    try {
      const { Body } = await this.#client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: `bytes=${options.fromByte}-`,
          ...(options.ifMatch ? { IfMatch: `"${options.ifMatch.replaceAll('"', '')}"` } : {}),
        }),
      );
      return (Body as Readable | undefined) ?? Readable.from([]);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412) throw new ObjectChangedError(`s3://${bucket}/${key} is no longer version ${options.ifMatch}`, { cause: error });
      // 416: the range starts at the end (an empty rest): nothing more to read.
      if (status === 416) return Readable.from([]);
      throw storeError('GetObject', bucket, key, error);
    }
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.#client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (error) {
      throw storeError('PutObject', bucket, key, error);
    }
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

function storeError(operation: string, bucket: string, key: string, error: unknown): unknown {
  const status = statusOf(error);
  if (status === undefined) return error;
  const code = error instanceof Error ? error.name : String(status);
  return new ObjectStoreError(status, `${operation} s3://${bucket}/${key} failed: ${code}`, { cause: error });
}
