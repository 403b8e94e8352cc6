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

/** The objects of the import bucket that may name a customer (uploads and reports). */
export interface EvidenceObjects {
  /** Every key under the prefixes kept as evidence; with `modifiedSince`, only those modified at or after it. */
  keys(modifiedSince?: Date): AsyncIterable<string>;
  /** The object's bytes, streamed. */
  read(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Deletes the object. */
  remove(key: string): Promise<void>;
}
