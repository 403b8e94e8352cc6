/** One message held out of an evidence queue for the length of a drain pass. */
export interface HeldMessage {
  readonly receiptHandle: string;
  readonly body: string;
}

/**
 * A queue that keeps bodies as evidence (a DLQ, a quarantine): read whole by receiving every
 * message, each kept hidden until the pass is over, then deleted or shown again at once.
 */
export interface EvidenceQueue {
  /** A name for counts and logs (the queue's name, never a body). */
  readonly name: string;
  /** Whether the queue holds any message, visible or not (approximate: skips an empty queue without waiting). */
  holdsMessages(): Promise<boolean>;
  /** How many messages no receive can return now (in flight or delayed; approximate). */
  hiddenCount(): Promise<number>;
  /** Up to 10 more messages, hidden from everyone else until released; none when none are left. */
  receive(): Promise<HeldMessage[]>;
  /** Deletes these messages. */
  remove(messages: readonly HeldMessage[]): Promise<void>;
  /** Makes these messages visible again at once (ChangeMessageVisibility 0). */
  release(messages: readonly HeldMessage[]): Promise<void>;
}

/** One object of the import bucket as listed. */
export interface ListedObject {
  readonly key: string;
  /** The version listed, as S3 writes it (quoted); absent never from S3. */
  readonly eTag?: string;
  /** Absent never from S3. */
  readonly lastModified?: Date;
}

/** The objects of the import bucket that may name a customer (uploads and reports). */
export interface EvidenceObjects {
  /** Every object under the prefixes kept as evidence; with `modifiedSince`, only those modified at or after it. */
  list(modifiedSince?: Date): AsyncIterable<ListedObject>;
  /** The object's bytes, streamed. */
  read(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Deletes the object if it is still the version listed (`If-Match` its ETag); `changed` when another version replaced it since. */
  remove(object: ListedObject): Promise<'removed' | 'changed'>;
}

/**
 * The imports of the bucket's uploads, as far as the drain waits for them: an upload is deleted
 * only once its import is over, so none of the other people's lines is still to be read from it.
 */
export interface UploadImports {
  /** Whether an import reads this key (an upload under an import route's prefix); a report is not. */
  reads(key: string): boolean;
  /** Whether the import of this version of the object is over; `false` while it runs, and before it started (no progress yet). */
  finished(key: string, eTag: string): Promise<boolean>;
}
