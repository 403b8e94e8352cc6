import { addressHash } from '../domain/address-hash';
import type { PlannedRecipient } from '../domain/audit/apology-plan';
import { stopReason, type Pacer, type RunBudget } from '../domain/audit/pacer';
import { apologyMailTags } from '../domain/mail-tags';
import { buildServiceLinks, unexpectedLinks } from '../domain/links';
import { renderApology } from '../domain/render/apology';
import { MailNotAcceptedError, MailOutcomeUnknownError, MailRejectedError } from '../commons/errors';
import { ApologyState, CampaignState } from '../ports/campaigns';
import type { CampaignDeps } from './audit-deps';

/** What one run did for one campaign. */
export interface CampaignProgress {
  readonly incidentId: string;
  sent: number;
  failed: number;
  uncertain: number;
  skipped: number;
  /** Recipients another run had claimed already. */
  taken: number;
  /** Why the run stopped before the end, if it did. */
  stopped?: 'CAP' | 'TIME' | 'THROTTLED';
  complete: boolean;
}

/** Apologies sent so far in this run, across campaigns (the per-run cap counts them all). */
export interface RunSpend {
  sent: number;
}

/** Recipients handled between two cursor saves: at most this many are re-walked after a crash. */
export const CURSOR_SAVE_EVERY = 10;

type OneOutcome = 'SENT' | 'FAILED' | 'UNCERTAIN' | 'SKIPPED' | 'TAKEN' | 'THROTTLED';

/**
 * Sends an approved campaign's apologies, resuming after the last recipient handled.
 * Each apology: pace → claim (conditional write on incident + address hash) → send →
 * settle. A crash between claim and settle leaves the claim SENDING: that address is
 * never written to again (at most once; see docs/audit-and-apology.md).
 *
 * @example
 * const progress = await sendApologies('inc-…', deps, budget, spend, pacer, runId);
 */
export async function sendApologies(
  incidentId: string,
  deps: CampaignDeps,
  budget: RunBudget,
  spend: RunSpend,
  pacer: Pacer,
  runId: string,
  intervalMs: number,
): Promise<CampaignProgress> {
  const progress: CampaignProgress = { incidentId, sent: 0, failed: 0, uncertain: 0, skipped: 0, taken: 0, complete: false };
  const campaign = await deps.campaigns.get(incidentId);
  if (!campaign || campaign.state !== CampaignState.APPROVED) return { ...progress, complete: campaign?.state === CampaignState.COMPLETE };

  let after = campaign.cursor;
  let handled = after;
  let saved = campaign.cursor;
  let sinceSave = 0;
  // The claims prevent doubles; the cursor only spares a resumed run from re-walking (and
  // re-pacing) recipients already handled, so it is saved every few recipients, not each one.
  const saveCursor = async (): Promise<void> => {
    if (handled && handled !== saved) await deps.campaigns.saveCursor(incidentId, handled);
    saved = handled;
    sinceSave = 0;
  };
  for (;;) {
    const page = await deps.campaigns.recipients(incidentId, after, 50);
    for (const recipient of page.recipients) {
      if (recipient.decision === 'APOLOGISE') {
        const stop = stopReason(budget, spend.sent, intervalMs);
        if (stop) {
          await saveCursor();
          return { ...progress, stopped: stop };
        }
        const outcome = await apologiseOnce(incidentId, recipient, deps, pacer, runId);
        if (outcome === 'THROTTLED') {
          await saveCursor();
          return { ...progress, stopped: 'THROTTLED' };
        }
        tallyOutcome(progress, spend, outcome);
      }
      handled = recipient.key;
      if (++sinceSave >= CURSOR_SAVE_EVERY) await saveCursor();
    }
    if (!page.cursor) break;
    after = page.cursor;
  }
  await saveCursor();
  await deps.campaigns.complete(incidentId, deps.now().toISOString());
  return { ...progress, complete: true };
}

async function apologiseOnce(
  incidentId: string,
  recipient: PlannedRecipient & { readonly decision: 'APOLOGISE' },
  deps: CampaignDeps,
  pacer: Pacer,
  runId: string,
): Promise<OneOutcome> {
  const hash = recipient.addressHash;
  const at = (): string => deps.now().toISOString();
  const skipWith = async (reason: string): Promise<OneOutcome> => {
    if ((await deps.campaigns.claim(incidentId, hash, runId, at())) === 'taken') return 'TAKEN';
    await deps.campaigns.settle(incidentId, hash, { state: ApologyState.SKIPPED, reason }, at());
    return 'SKIPPED';
  };

  // Checked again at send time: someone may have opted out or bounced since the plan.
  const [row, suppressed, unsubscribed, customer] = await Promise.all([
    deps.ledger.getRow(recipient.noticeId),
    deps.addresses.isSuppressed(hash),
    deps.addresses.unsubscribedFromAll(hash),
    deps.addresses.customerByAddressHash(hash),
  ]);
  const address = row?.recipientAddress;
  if (!address || addressHash(address) !== hash) return skipWith('NO_ADDRESS');
  if (suppressed) return skipWith('SUPPRESSED');
  if (unsubscribed || customer?.notificationsOptOut) return skipWith('OPTED_OUT');

  // An apology is about no registry: its link unsubscribes from all mail.
  const unsubscribe = await deps.unsubscribeLinks.link({ addressHash: hash, scope: { kind: 'ALL' }, locale: recipient.locale });
  const links = buildServiceLinks(deps.links, unsubscribe);
  const email = renderApology({
    locale: recipient.locale,
    // Read now, not at planning: a customer record may have appeared or gone since.
    addressIsCustomer: customer !== undefined,
    noticeSentAt: row.decidedAt,
    links,
    shopName: deps.shopName,
  });
  if (unexpectedLinks(email, links).length > 0) return skipWith('LINK_NOT_ALLOWED');

  await pacer.wait();
  if ((await deps.campaigns.claim(incidentId, hash, runId, at())) === 'taken') return 'TAKEN';
  let sesMessageId: string;
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
      // SES certainly took nothing: give the address back for a later run.
      await deps.campaigns.release(incidentId, hash, runId);
      return 'THROTTLED';
    }
    if (error instanceof MailRejectedError) {
      await deps.campaigns.settle(incidentId, hash, { state: ApologyState.FAILED, reason: error.reason }, at());
      return 'FAILED';
    }
    if (error instanceof MailOutcomeUnknownError) {
      // It may have gone: keep the claim, never send again.
      await deps.campaigns.settle(incidentId, hash, { state: ApologyState.UNCERTAIN, reason: 'OUTCOME_UNKNOWN' }, at());
      return 'UNCERTAIN';
    }
    throw error;
  }
  await deps.campaigns.settle(incidentId, hash, { state: ApologyState.SENT, sesMessageId }, at());
  return 'SENT';
}

function tallyOutcome(progress: CampaignProgress, spend: RunSpend, outcome: Exclude<OneOutcome, 'THROTTLED'>): void {
  switch (outcome) {
    case 'SENT':
      progress.sent += 1;
      spend.sent += 1;
      return;
    case 'FAILED':
      progress.failed += 1;
      return;
    case 'UNCERTAIN':
      progress.uncertain += 1;
      // It may have gone: it counts against the cap like a send.
      spend.sent += 1;
      return;
    case 'SKIPPED':
      progress.skipped += 1;
      return;
    case 'TAKEN':
      progress.taken += 1;
      return;
  }
}
