import type { MessageIssue } from '../domain/purchase-message';

/** A message that can never be processed, with why, kept for inspection. */
export interface QuarantinedMessage {
  readonly sourceMessageId: string;
  readonly body: string;
  readonly issues: readonly MessageIssue[];
  readonly receivedAt: string;
}

/** Where invalid input goes instead of being retried or lost. */
export interface Quarantine {
  put(message: QuarantinedMessage): Promise<void>;
}
