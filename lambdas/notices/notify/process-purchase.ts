import { NoticeOutcome, ResendState, noticeIdForEvent, type LedgerEntry } from '../ledger-entry';
import { sentEvidence } from '../../mail/mail-fate';
import { clockAheadDelaySeconds, type PurchaseMessage } from '../purchase-message';
import { BlockReason } from '../reasons';
import { SQS_MAX_DELAY_SECONDS } from '../../platform/sqs-limits';
import { ClaimInProgressError } from '../../platform/function-errors';
import type { Deferral } from '../../platform/queues/deferral';
import type { KillSwitch } from '../../mail/ports/kill-switch';
import type { Mailer } from '../../mail/ports/mailer';
import { UncertainReason, type NoticeLedger } from '../ports/notice-ledger';
import { prepareNotice, type NoticeSources, type PreparedNotice } from './prepare-notice';
import { resendApproved, type ResendResult } from './resend-approved';
import { sendNotice } from './send-notice';

/** How long a record waits while sending is paused before it is looked at again (SQS's maximum delay). */
export const PAUSED_RECHECK_SECONDS = SQS_MAX_DELAY_SECONDS;

/** The adapters and settings one purchase record is processed with. */
export interface PurchasePipeline extends NoticeSources {
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly killSwitch: KillSwitch;
  /** Where records wait while sending is paused, or while their purchase lies too far ahead. */
  readonly deferral: Deferral;
  /** How long a SENDING claim may be held before it counts as abandoned (> the function timeout). */
  readonly claimLeaseMs: number;
  readonly now: () => Date;
}

/** Why a record was put back on its queue to be looked at later. */
export const DeferCause = {
  /** The kill switch is on. */
  SENDING_PAUSED: 'SENDING_PAUSED',
  /** `purchasedAt` is more than 5 minutes ahead of our clock (the producer's runs fast). */
  CLOCK_AHEAD: 'CLOCK_AHEAD',
} as const;
export type DeferCause = (typeof DeferCause)[keyof typeof DeferCause];

/** What became of one record; transient failures are thrown instead (see `RetryLaterError`). */
export type PurchaseResult =
  | { readonly kind: 'DEFERRED'; readonly eventId: string; readonly delaySeconds: number; readonly because: DeferCause }
  | { readonly kind: 'SENT'; readonly eventId: string; readonly sesMessageId: string }
  | { readonly kind: 'BLOCKED'; readonly eventId: string; readonly reason: BlockReason }
  | { readonly kind: 'DUPLICATE'; readonly eventId: string }
  | { readonly kind: 'UNCERTAIN'; readonly eventId: string }
  | { readonly kind: 'FAILED'; readonly eventId: string; readonly code: string }
  | ResendResult;

/**
 * Decides on one valid purchase message (the validation middleware has parsed it) and acts on
 * the decision: defer, block, or send exactly one notice to the registry's owner.
 *
 * The ledger row for the event is the idempotency record, and it is never read first: the
 * conditional write (the claim, or a BLOCKED decision) finds an existing row and returns it
 * in the same request. Timeline of a send:
 *
 *   facts ── guards ── claim(SENDING) ── SES SendEmail ── markSent(SENT)
 *                          │                  │
 *       a row already there│ comes back with  │ no answer once the request was out: UNCERTAIN now.
 *       the failed claim:  │ settled below    │ crash here: the row stays SENDING; the redelivery's
 *                                             │ claim finds it past its lease: SENT if an SES event
 *                                             │ has come for it, else UNCERTAIN. Never a 2nd email.
 *
 * @throws RetryLaterError (and SDK errors) when the record should be delivered again.
 */
export async function processPurchase(message: PurchaseMessage, p: PurchasePipeline): Promise<PurchaseResult> {
  // The moment a read of the ledger would have been made: a row decided later was made by a
  // copy of this event racing this one (see settleExisting).
  const startedAt = p.now();
  const { eventId } = message;
  const noticeId = noticeIdForEvent(eventId);

  // Two copies of one event in a batch: the second is a duplicate at once, as it was when
  // both raced for the claim; the first carries the event (and is retried if it must be).
  if (eventsInFlight.has(noticeId)) return { kind: 'DUPLICATE', eventId };
  eventsInFlight.add(noticeId);
  try {
    return await decide(message, startedAt, p);
  } finally {
    eventsInFlight.delete(noticeId);
  }
}

/**
 * Events a record of this execution environment is deciding right now. Records of a batch
 * run concurrently and one environment runs one batch at a time, so a second copy found
 * here is a copy of the same batch.
 */
const eventsInFlight = new Set<string>();

async function decide(message: PurchaseMessage, startedAt: Date, p: PurchasePipeline): Promise<PurchaseResult> {
  const { eventId } = message;
  const noticeId = noticeIdForEvent(eventId);

  // A purchase "in the future" is a producer's fast clock: wait until it is within the
  // tolerance instead of refusing it (the contract quarantines only what is over 24 h ahead).
  const aheadSeconds = clockAheadDelaySeconds(message, p.now());
  if (aheadSeconds > 0) {
    const delaySeconds = Math.min(aheadSeconds, SQS_MAX_DELAY_SECONDS);
    await p.deferral.defer(JSON.stringify(message), delaySeconds);
    return { kind: 'DEFERRED', eventId, delaySeconds, because: DeferCause.CLOCK_AHEAD };
  }

  if (await p.killSwitch.isPaused()) {
    // Put it back with a delay rather than fail it: failing would walk a long pause's
    // backlog into the DLQ after maxReceiveCount receives.
    await p.deferral.defer(JSON.stringify(message), PAUSED_RECHECK_SECONDS);
    return { kind: 'DEFERRED', eventId, delaySeconds: PAUSED_RECHECK_SECONDS, because: DeferCause.SENDING_PAUSED };
  }

  const prepared = await prepareNotice(message, p, p.now());
  if (prepared.kind === 'blocked') return recordBlocked(prepared.base, prepared.reason, message, startedAt, p);
  const claimed = await p.ledger.claim(prepared.claim);
  if (!claimed.written) {
    // The same purchase and item under another event id: one notice per purchase and item.
    if ('duplicateOf' in claimed) {
      return recordBlocked({ ...prepared.base, duplicateOf: claimed.duplicateOf }, BlockReason.DUPLICATE_PURCHASE_ITEM, message, startedAt, p);
    }
    // Erased since its row was read: recorded without the address (`base` has none), never sent.
    if ('recipientErased' in claimed) return recordBlocked(prepared.base, BlockReason.RECIPIENT_ERASED, message, startedAt, p);
    return settleExisting(claimed.existing, message, startedAt, p, prepared);
  }

  const outcome = await sendNotice(p.mailer, { noticeId, ...prepared });
  switch (outcome.kind) {
    case 'sent':
      await p.ledger.markSent(noticeId, outcome.sesMessageId, p.now().toISOString());
      return { kind: 'SENT', eventId, sesMessageId: outcome.sesMessageId };
    case 'not-accepted':
      // Nothing went out (throttled, 5xx, unreachable): let the redelivery send.
      await p.ledger.release(noticeId);
      throw outcome.error;
    case 'rejected':
      // Refused for good: retrying would fail the same way, so record it and move on.
      await p.ledger.markFailed(noticeId, outcome.error.reason, p.now().toISOString());
      return { kind: 'FAILED', eventId, code: outcome.error.code };
    case 'unknown':
      // It may have gone: never sent again by itself. An SES event settles it, or an operator.
      await p.ledger.markUncertain(noticeId, p.now().toISOString(), {
        reason: UncertainReason.SES_OUTCOME_UNKNOWN,
        purchaseMessage: JSON.stringify(message),
      });
      return { kind: 'UNCERTAIN', eventId };
  }
}

/**
 * The event's row was there when this record wrote its decision or claim: a finished notice
 * (DUPLICATE), a notice in doubt whose re-send an operator approved (sent once), a claim in
 * progress (retry later), or a claim its sender abandoned (SENT if SES has told us about the
 * email, else UNCERTAIN). A row decided after this record started belongs to a copy that
 * raced this one from another execution environment, and won: this copy is a DUPLICATE.
 */
async function settleExisting(
  existing: LedgerEntry,
  message: PurchaseMessage,
  startedAt: Date,
  p: PurchasePipeline,
  prepared?: PreparedNotice,
): Promise<PurchaseResult> {
  if (Date.parse(existing.decidedAt) > startedAt.getTime()) return { kind: 'DUPLICATE', eventId: existing.eventId };
  // An operator approved re-sending a notice in doubt (`notice resolve`): at most once.
  if (existing.outcome === NoticeOutcome.UNCERTAIN && existing.resend?.state === ResendState.APPROVED) {
    return resendApproved(existing, message, p, prepared);
  }
  if (existing.outcome !== NoticeOutcome.SENDING) return { kind: 'DUPLICATE', eventId: existing.eventId };
  const age = p.now().getTime() - Date.parse(existing.decidedAt);
  if (age < p.claimLeaseMs) throw new ClaimInProgressError(existing.noticeId);
  // The sender died after the SES call. If SES has told us about the email, it went.
  const evidence = sentEvidence(existing.sesEvents);
  if (evidence) {
    await p.ledger.markSent(existing.noticeId, evidence.messageId, evidence.sentAt);
    return { kind: 'SENT', eventId: existing.eventId, sesMessageId: evidence.messageId };
  }
  await p.ledger.markUncertain(existing.noticeId, p.now().toISOString(), {
    reason: UncertainReason.CLAIM_ABANDONED,
    purchaseMessage: JSON.stringify(message),
  });
  return { kind: 'UNCERTAIN', eventId: existing.eventId };
}

async function recordBlocked(
  base: LedgerEntry,
  reason: BlockReason,
  message: PurchaseMessage,
  startedAt: Date,
  p: PurchasePipeline,
): Promise<PurchaseResult> {
  const write = await p.ledger.recordDecision({ ...base, outcome: NoticeOutcome.BLOCKED, reason });
  return write.written ? { kind: 'BLOCKED', eventId: base.eventId, reason } : settleExisting(write.existing, message, startedAt, p);
}
