import { addressHash } from '../domain/address-hash';
import { toLocale, type NoticeFacts } from '../domain/facts';
import { firstBlockReason } from '../domain/guards';
import { NoticeOutcome, OUR_SENDER, noticeIdForEvent, type LedgerEntry } from '../domain/ledger-entry';
import { buildNoticeLinks, unexpectedLinks, type LinkConfig } from '../domain/links';
import { clockAheadDelaySeconds, type PurchaseMessage } from '../domain/purchase-message';
import { BlockReason } from '../domain/reasons';
import { renderPurchaseNotice } from '../domain/render/purchase-notice';
import type { UnsubscribeLinks } from '../domain/unsubscribe/unsubscribe-links';
import { isPlainAddress } from '../domain/plain-address';
import { SQS_MAX_DELAY_SECONDS } from '../commons/sqs-limits';
import { ClaimInProgressError, MailNotAcceptedError, MailRejectedError } from '../commons/errors';
import type { CustomerDirectory, DoNotMailList, RegistryDirectory } from '../ports/directories';
import type { Deferral } from '../ports/deferral';
import type { KillSwitch } from '../ports/kill-switch';
import type { Mailer } from '../ports/mailer';
import type { NoticeLedger } from '../ports/notice-ledger';

/** How long a record waits while sending is paused before it is looked at again (SQS's maximum delay). */
export const PAUSED_RECHECK_SECONDS = SQS_MAX_DELAY_SECONDS;

/** The adapters and settings one purchase record is processed with. */
export interface PurchasePipeline {
  readonly registries: RegistryDirectory;
  readonly customers: CustomerDirectory;
  /** Suppressions and unsubscribes, read together. */
  readonly doNotMail: DoNotMailList;
  /** Signs the owner's one-click unsubscribe link (this registry's notices). */
  readonly unsubscribeLinks: UnsubscribeLinks;
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly killSwitch: KillSwitch;
  /** Where records wait while sending is paused, or while their purchase lies too far ahead. */
  readonly deferral: Deferral;
  readonly links: LinkConfig;
  readonly shopName: string;
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
  | { readonly kind: 'FAILED'; readonly eventId: string; readonly code: string };

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
 *       a row already there│ comes back with  │ crash here: the row stays SENDING;
 *       the failed claim:  │ settled below    │ the redelivery's claim finds it past its
 *                                             │ lease and marks it UNCERTAIN: never a 2nd email
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

  const facts = await loadFacts(message, p);
  const base = baseEntry(message, facts, p.now());
  const reason = firstBlockReason(facts);
  if (reason) return recordBlocked(base, reason, startedAt, p);

  // Guards passed, so owner and registry are present.
  const owner = facts.owner!;
  const locale = toLocale(owner.locale);
  const unsubscribe = await p.unsubscribeLinks.link({
    addressHash: addressHash(owner.email),
    scope: { kind: 'REGISTRY', registryId: message.registryId },
    locale,
  });
  const links = buildNoticeLinks(p.links, message.registryId, unsubscribe);
  const email = renderPurchaseNotice({
    locale,
    ownerFirstName: owner.firstName,
    registryTitle: facts.registry!.title,
    itemTitle: message.item.title,
    quantity: message.item.quantity,
    purchaserName: message.purchaser?.displayName,
    giftMessage: message.giftMessage,
    links,
    shopName: p.shopName,
  });
  if (unexpectedLinks(email, links).length > 0) return recordBlocked(base, BlockReason.LINK_NOT_ALLOWED, startedAt, p);

  const claim: LedgerEntry = {
    ...base,
    recipientAddress: owner.email,
    recipientAddressHash: addressHash(owner.email),
    template: email.template,
    locale: email.locale,
    outcome: NoticeOutcome.SENDING,
  };
  const claimed = await p.ledger.claim(claim);
  if (!claimed.written) {
    // The same purchase and item under another event id: one notice per purchase and item.
    if ('duplicateOf' in claimed) return recordBlocked({ ...base, duplicateOf: claimed.duplicateOf }, BlockReason.DUPLICATE_PURCHASE_ITEM, startedAt, p);
    return settleExisting(claimed.existing, startedAt, p);
  }

  let sesMessageId: string;
  try {
    sesMessageId = await p.mailer.send({
      to: owner.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      listUnsubscribe: links.unsubscribe,
      tags: { template: 'purchase-notice', noticeId },
    });
  } catch (error) {
    if (error instanceof MailNotAcceptedError) {
      // SES said "not now": nothing went out, so let the redelivery send.
      await p.ledger.release(noticeId);
    } else if (error instanceof MailRejectedError) {
      // Refused for good: retrying would fail the same way, so record it and move on.
      await p.ledger.markFailed(noticeId, error.reason, p.now().toISOString());
      return { kind: 'FAILED', eventId, code: error.code };
    }
    // Unknown outcome (timeout, lost connection): keep the claim, so it is never sent twice.
    throw error;
  }
  await p.ledger.markSent(noticeId, sesMessageId, p.now().toISOString());
  return { kind: 'SENT', eventId, sesMessageId };
}

/**
 * The event's row was there when this record wrote its decision or claim: a finished notice
 * (DUPLICATE), a claim in progress (retry later), or a claim its sender abandoned (UNCERTAIN).
 * A row decided after this record started belongs to a copy that raced this one from another
 * execution environment, and won: the winner carries the event, this copy is a DUPLICATE.
 */
async function settleExisting(existing: LedgerEntry, startedAt: Date, p: PurchasePipeline): Promise<PurchaseResult> {
  if (Date.parse(existing.decidedAt) > startedAt.getTime()) return { kind: 'DUPLICATE', eventId: existing.eventId };
  if (existing.outcome !== NoticeOutcome.SENDING) return { kind: 'DUPLICATE', eventId: existing.eventId };
  const age = p.now().getTime() - Date.parse(existing.decidedAt);
  if (age < p.claimLeaseMs) throw new ClaimInProgressError(existing.noticeId);
  await p.ledger.markUncertain(existing.noticeId, p.now().toISOString());
  return { kind: 'UNCERTAIN', eventId: existing.eventId };
}

async function loadFacts(message: PurchaseMessage, p: PurchasePipeline): Promise<NoticeFacts> {
  const { registry, itemOnRegistry } = await p.registries.getRegistryWithItem(message.registryId, message.item.itemId);
  // The recipient comes from our registry data, never from the message.
  const owner = registry ? await p.customers.getCustomer(registry.ownerCustomerId) : undefined;
  // Only a plain address can be mailed at all (a guard says so); the lists are not asked about another.
  const standing =
    owner && isPlainAddress(owner.email)
      ? await p.doNotMail.standing(addressHash(owner.email), message.registryId)
      : { suppressed: false, unsubscribed: false };
  return { message, registry, itemOnRegistry, owner, ownerAddressSuppressed: standing.suppressed, ownerUnsubscribed: standing.unsubscribed };
}

function baseEntry(message: PurchaseMessage, facts: NoticeFacts, now: Date): LedgerEntry {
  return {
    noticeId: noticeIdForEvent(message.eventId),
    eventId: message.eventId,
    purchaseId: message.purchaseId,
    registryId: message.registryId,
    itemId: message.item.itemId,
    claimedRecipientCustomerId: message.recipientCustomerId,
    recipientCustomerId: facts.registry?.ownerCustomerId,
    outcome: NoticeOutcome.BLOCKED,
    decidedAt: now.toISOString(),
    sender: OUR_SENDER,
  };
}

async function recordBlocked(base: LedgerEntry, reason: BlockReason, startedAt: Date, p: PurchasePipeline): Promise<PurchaseResult> {
  const write = await p.ledger.recordDecision({ ...base, outcome: NoticeOutcome.BLOCKED, reason });
  return write.written ? { kind: 'BLOCKED', eventId: base.eventId, reason } : settleExisting(write.existing, startedAt, p);
}
