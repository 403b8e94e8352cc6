import type { ValidationIssue } from '../validation';

/**
 * Why a message is quarantined: it breaks its contract (`INVALID_MESSAGE`), or it is well
 * formed but claims what our records refute (`UNVERIFIED_EVENT`: an SES event about no email
 * we recorded, as we sent it).
 */
export type QuarantineReason = 'INVALID_MESSAGE' | 'UNVERIFIED_EVENT';

/** A message that can never be processed, with why, kept for inspection. */
export interface QuarantinedMessage {
  /** @default 'INVALID_MESSAGE' */
  readonly reason?: QuarantineReason;
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
