import type { ApologyMessage } from '../apology-message';

/** Where planned apologies wait for the sender, and where a sender puts one back for later. */
export interface ApologyQueue {
  /** Enqueues messages (in batches of SQS's 10); throws when any could not be enqueued. */
  enqueue(messages: readonly ApologyMessage[]): Promise<void>;
  /** Puts one back with a delay (at most 900 s): a new message, so waiting never counts towards the DLQ. */
  defer(message: ApologyMessage, delaySeconds: number): Promise<void>;
}
