/** Objects of a bucket, as the S3 import reads and reports them. */
export interface ObjectStore {
  /**
   * The object's bytes from `fromByte` to the end, streamed. With `ifMatch` (an ETag) the read
   * fails with `ObjectChangedError` when the object is no longer that version.
   */
  read(bucket: string, key: string, options: { readonly fromByte: number; readonly ifMatch?: string }): Promise<AsyncIterable<Uint8Array>>;
  /** Writes a small object (a report) in one request. */
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}
