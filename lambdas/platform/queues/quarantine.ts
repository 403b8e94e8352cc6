import type { ValidationIssue } from '../validation';

/** A message that can never be processed, with why, kept for inspection. */
export interface QuarantinedMessage {
  /** Where it came from: the source queue's name (or another feed's name), so one quarantine can serve several. */
  readonly source: string;
  readonly sourceMessageId: string;
  /** The body as it came, whatever it is (the adapter keeps what fits, with its size and hash). */
  readonly body: string;
  /** Every broken rule. */
  readonly issues: readonly ValidationIssue[];
  readonly receivedAt: string;
}

/** Where invalid input goes instead of being retried or lost. */
export interface Quarantine {
  put(message: QuarantinedMessage): Promise<void>;
}
