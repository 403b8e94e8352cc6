import { addressHashes } from '../../directory/address-hash';
import type { ApologyMessage } from '../apology-message';
import { allowedRate, dailyQuotaAllows, slotIntervalUs } from '../../mail/send-rate';
import { buildServiceLinks, unexpectedLinks, type LinkConfig } from '../../mail/links';
import { ResendState } from '../../notices/ledger-entry';
import { sentEvidence } from '../../mail/mail-fate';
import { apologyMailTags } from '../../mail/mail-tags';
import { renderApology } from '../render-apology';
import { ClaimInProgressError, MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError } from '../../platform/function-errors';
import type { ApologyQueue } from '../ports/apology-queue';
import { ApologyState, type ApologyClaim, type ApologyOutcome, type ApologySendStore } from '../ports/campaigns';
import type { KillSwitch } from '../../mail/ports/kill-switch';
import type { Mailer } from '../../mail/ports/mailer';
import type { RecipientFactsReader } from './recipient-facts';
import type { SendQuota } from '../../mail/ports/send-quota';
import type { UnsubscribeLinks } from '../../mail/unsubscribe/unsubscribe-links';
import type { PacerClock, SlotPacer } from './slot-pacer';

/** The sender's settings (from its environment). */
export interface SenderSettings {
  /** Share (0-1] of SES's MaxSendRate the apologies may use. */
  readonly sendRateShare: number;
  /** How late after its slot a send may start (the rate bound's tolerance; the pacer holds it too). */
  readonly slotToleranceMs: number;
  /** Time kept back before the invocation's end for claim, send and settle. */
  readonly safetyMarginMs: number;
  /** A SENDING claim older than this belongs to an invocation that is certainly over (longer than the function's timeout). */
  readonly staleClaimMs: number;
  /** How long a paused apology waits on the queue before it looks at the kill switch again. */
  readonly pausedDelaySeconds: number;
  /** How often the quota is read again: the daily-quota check keeps this much sending in reserve. */
  readonly quotaHorizonSeconds: number;
}

/** What sending one apology needs. */
export interface SenderDeps {
  readonly campaigns: ApologySendStore;
  /** The ledger row (the address), suppression, unsubscribe and customer, read again at send time. */
  readonly recipients: RecipientFactsReader;
  readonly mailer: Mailer;
  readonly killSwitch: KillSwitch;
  readonly quota: SendQuota;
  /** Paces this container's sends on the shared slot schedule (one per container: it learns the round trip). */
  readonly pacer: SlotPacer;
  readonly queue: ApologyQueue;
  readonly links: LinkConfig;
  /** Signs each apology's one-click unsubscribe link (from all mail). */
  readonly unsubscribeLinks: UnsubscribeLinks;
  readonly shopName: string;
  readonly clock: PacerClock;
  readonly now: () => Date;
  readonly newRunId: () => string;
  readonly settings: SenderSettings;
}

/** What became of one message. Every `DEFERRED_*` put the message back on the queue with a delay. */
export const SendResult = {
  SENT: 'SENT',
  FAILED: 'FAILED',
  UNCERTAIN: 'UNCERTAIN',
  SKIPPED: 'SKIPPED',
  /** The address's claim was settled already (a message enqueued twice, or redelivered). */
  DUPLICATE: 'DUPLICATE',
  /** A claim left SENDING by a sender that died: it may have gone, so it is UNCERTAIN now, never re-sent by itself. */
  SENDER_DIED: 'SENDER_DIED',
  DEFERRED_PAUSED: 'DEFERRED_PAUSED',
  /** SES did not take an email moments ago (this one or another sender's): the breaker is open. */
  DEFERRED_BREAKER: 'DEFERRED_BREAKER',
  /** No slot soon enough (the schedule is booked ahead), or the slot was missed too often. */
  DEFERRED_BUSY: 'DEFERRED_BUSY',
  DEFERRED_DAILY_QUOTA: 'DEFERRED_DAILY_QUOTA',
} as const;
export type SendResult = (typeof SendResult)[keyof typeof SendResult];

/** Missed slots (a send must start within the tolerance) before the message is put back. */
const MAX_SLOT_TRIES = 4;

/**
 * Sends one planned apology with the campaign's guarantees:
 *
 *   kill switch ─ re-check row, suppression, unsubscribe, opt-out ─ sign link, render ─ daily quota
 *     ─ book a slot (shared schedule, breaker) ─ claim (conditional put) ─ wait for the slot ─ on time? ─ SES ─ settle + count
 *
 * At most one apology per address and incident: the claim is taken before SES is called and
 * never taken again; a crash after it leaves the claim SENDING, which a later delivery marks
 * UNCERTAIN (never re-sent by itself; SENT if SES's events came meanwhile). A claim already
 * there comes back from the claim's own write (no read before it: a message delivered again
 * costs its reads and a slot, not every message a read). SES "not accepted" (throttled,
 * unreachable, 5xx) releases the claim, opens the shared breaker so every sender stops taking
 * slots, and puts the message back. An UNCERTAIN claim whose re-send an operator approved
 * (`notice resolve`) is claimed `APPROVED → SENDING` instead (conditional: one re-send, and
 * none once an SES event came) and goes the same way, today's guards and pace included; it
 * settles UNCERTAIN → SENT, FAILED or SKIPPED on the counters.
 *
 * @throws ClaimInProgressError when another invocation holds a fresh claim on the address (retried later)
 * @example
 * const result = await sendApology(record.data, deps, () => context.getRemainingTimeInMillis());
 */
export async function sendApology(message: ApologyMessage, deps: SenderDeps, remainingMs: () => number): Promise<SendResult> {
  const { incidentId, addressHash: hash } = message;
  const s = deps.settings;
  const at = (): string => deps.now().toISOString();
  const later = async (delaySeconds: number, result: SendResult): Promise<SendResult> => {
    await deps.queue.defer(message, delaySeconds);
    return result;
  };
  if (await deps.killSwitch.isPaused()) return later(s.pausedDelaySeconds, SendResult.DEFERRED_PAUSED);

  // The address was claimed before: settled (a message enqueued twice, or redelivered), in flight elsewhere, or its sender died.
  const taken = async (existing: ApologyClaim | undefined): Promise<SendResult> => {
    if (existing?.state !== ApologyState.SENDING) return SendResult.DUPLICATE;
    if (deps.now().getTime() - Date.parse(existing.claimedAt) < s.staleClaimMs) throw new ClaimInProgressError(`apology ${incidentId}`);
    return settleAbandoned(message, existing, deps, at());
  };
  const runId = deps.newRunId();
  // An operator's approved re-send of an apology in doubt (`notice resolve`) is found by the claim's own write, and claimed instead.
  let resent = false;
  const claimIt = async (): Promise<SendResult | undefined> => {
    const claim = await deps.campaigns.claim(incidentId, hash, runId, at());
    if (claim.claimed) return undefined;
    const { existing } = claim;
    // This run's own claim: DynamoDB applied the write, its answer was lost (a timeout), and the SDK's retry found it.
    if (existing?.state === ApologyState.SENDING && existing.runId === runId) return undefined;
    const heard = Object.keys(existing?.sesEvents ?? {}).length > 0;
    if (existing?.state !== ApologyState.UNCERTAIN || existing.resend?.state !== ResendState.APPROVED || heard) return taken(existing);
    resent = true;
    return (await deps.campaigns.claimResend(incidentId, hash, runId, at())) === 'claimed' ? undefined : SendResult.DUPLICATE;
  };
  const release = (): Promise<void> => (resent ? deps.campaigns.releaseResend(incidentId, hash, runId) : deps.campaigns.release(incidentId, hash, runId));
  const settle = (outcome: ApologyOutcome): Promise<boolean> => deps.campaigns.settle(incidentId, hash, resent ? { ...outcome, resent } : outcome, at(), runId);
  const skipWith = async (reason: string): Promise<SendResult> => {
    const notOurs = await claimIt();
    if (notOurs) return notOurs;
    await settle({ state: ApologyState.SKIPPED, reason });
    return SendResult.SKIPPED;
  };
  // Checked again at send time: someone may have opted out or bounced since the plan.
  const { row, suppressed, unsubscribedFromAll: unsubscribed, customer } = await deps.recipients.read(message.noticeId, hash);
  const address = row?.recipientAddress;
  // The planned hash is the row's stored one: keyed, or legacy for a row written before keyed hashes.
  if (!address || !addressHashes(address).includes(hash)) return skipWith('NO_ADDRESS');
  if (suppressed) return skipWith('SUPPRESSED');
  if (unsubscribed || customer?.notificationsOptOut) return skipWith('OPTED_OUT');
  // An apology is about no registry: its link unsubscribes from all mail.
  const unsubscribe = await deps.unsubscribeLinks.link({ addressHash: hash, scope: { kind: 'ALL' }, locale: message.locale });
  const links = buildServiceLinks(deps.links, unsubscribe);
  const email = renderApology({
    locale: message.locale,
    // Read now, not at planning: a customer record may have appeared or gone since.
    addressIsCustomer: customer !== undefined,
    noticeSentAt: row.decidedAt,
    links,
    shopName: deps.shopName,
  });
  if (unexpectedLinks(email, links).length > 0) return skipWith('LINK_NOT_ALLOWED');

  const quota = await deps.quota.quota();
  if (!dailyQuotaAllows(quota, s.sendRateShare, s.quotaHorizonSeconds)) return later(900, SendResult.DEFERRED_DAILY_QUOTA);
  const { pacer } = deps;
  const intervalUs = slotIntervalUs(allowedRate(quota.maxSendRate, s.sendRateShare), s.slotToleranceMs);

  let claimed = false;
  const putBack = async (delaySeconds: number, result: SendResult): Promise<SendResult> => {
    if (claimed) await release();
    return later(delaySeconds, result);
  };
  try {
    for (let tries = 1; ; tries += 1) {
      const slot = await pacer.book(remainingMs() - s.safetyMarginMs, intervalUs);
      if (!slot.ok) return await putBack(slot.retryInMs / 1000 + jitterSeconds(), slot.why === 'BREAKER_OPEN' ? SendResult.DEFERRED_BREAKER : SendResult.DEFERRED_BUSY);
      // Claimed a round trip before the slot (booked that far ahead for it): a sender killed while it waits holds no claim.
      await pacer.approach(slot);
      // The switch may have been flipped while this one waited for its slot. Looked at before
      // the claim, not at the slot: a read of it (its cache ran out) between the slot and the
      // send would make the send late, and the slot wasted.
      if (await deps.killSwitch.isPaused()) return await putBack(s.pausedDelaySeconds, SendResult.DEFERRED_PAUSED);
      if (!claimed) {
        const notOurs = await claimIt();
        if (notOurs) return notOurs;
        claimed = true;
      }
      await pacer.waitFor(slot);
      if (pacer.onTime(slot)) break;
      if (tries >= MAX_SLOT_TRIES) return await putBack(1, SendResult.DEFERRED_BUSY);
    }
  } catch (error) {
    // Nothing went to SES yet: a claim left behind would make this address UNCERTAIN for nothing.
    if (claimed) await release().catch(() => undefined);
    throw error;
  }

  let sesMessageId: string;
  const sendStartedAt = new Date(deps.clock.nowMs()).toISOString();
  try {
    sesMessageId = await deps.mailer.send({
      to: address,
      subject: email.subject,
      html: email.html,
      text: email.text,
      listUnsubscribe: links.unsubscribe,
      tags: apologyMailTags(incidentId, hash),
    });
  } catch (error) {
    if (error instanceof MailNotAcceptedError) {
      // SES certainly took nothing: give the address back, and stop every sender for a while.
      await release();
      const untilUs = await deps.pacer.openBreaker();
      return later((untilUs / 1000 - deps.clock.nowMs()) / 1000 + jitterSeconds(), SendResult.DEFERRED_BREAKER);
    }
    if (error instanceof MailRejectedError) {
      await settle({ state: ApologyState.FAILED, reason: error.reason, sendStartedAt });
      return SendResult.FAILED;
    }
    if (error instanceof MailOutcomeUnknownError) {
      // It may have gone: keep the claim, never send again.
      await settle({ state: ApologyState.UNCERTAIN, reason: 'OUTCOME_UNKNOWN', sendStartedAt });
      return SendResult.UNCERTAIN;
    }
    throw error;
  }
  await settle({ state: ApologyState.SENT, sesMessageId, sendStartedAt });
  return SendResult.SENT;
}

/**
 * A claim left SENDING by a sender that died: SES may have taken its email, so it is never
 * sent again by itself. If SES's events came meanwhile (they could not settle a SENDING
 * claim), they settle it now; else it is UNCERTAIN (`SENDER_DIED`), for its later events or an
 * operator's `notice resolve`.
 */
async function settleAbandoned(message: ApologyMessage, claim: ApologyClaim, deps: SenderDeps, at: string): Promise<SendResult> {
  const { incidentId, addressHash: hash } = message;
  const resent = claim.resend !== undefined;
  const evidence = sentEvidence(claim.sesEvents);
  if (evidence) {
    await deps.campaigns.settle(incidentId, hash, { state: ApologyState.SENT, sesMessageId: evidence.messageId, resent }, at, claim.runId);
    return SendResult.SENT;
  }
  await deps.campaigns.settle(incidentId, hash, { state: ApologyState.UNCERTAIN, reason: 'SENDER_DIED', resent }, at, claim.runId);
  return SendResult.SENDER_DIED;
}

// Spreads the messages put back together over a couple of seconds, so they do not all return at once.
function jitterSeconds(): number {
  return Math.random() * 2;
}
