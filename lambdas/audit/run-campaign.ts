import { CampaignState, type CampaignState as State } from '../ports/campaigns';
import type { RunDeps } from './audit-deps';
import { CampaignAwaitingApprovalError, CampaignNotFoundError } from './errors';
import { runAuditOnce, type RunReport } from './run-once';

/** What one `campaign run` call did, and where the campaign stands after it. */
export interface CampaignRunReport {
  readonly incidentId: string;
  readonly state: State;
  /** Recipients the plan apologises to. */
  readonly toApologise: number;
  /** Every claim of the campaign by state, cumulative (SENT, SKIPPED, FAILED, UNCERTAIN, SENDING). */
  readonly claims: Readonly<Record<string, number>>;
  /** Recipients handled by this call (sent, skipped, failed or uncertain). */
  readonly handledNow: number;
  /** Audit runs this call made. */
  readonly rounds: number;
  /** Another run (the schedule's) holds the lease: nothing was done, try again shortly. */
  readonly leaseHeld: boolean;
  /** The kill switch is on: nothing was sent. */
  readonly sendingPaused: boolean;
}

/**
 * Runs the audit function's work now for an approved campaign, round after round (each
 * round one scheduled run: lease, audit, plan, paced sending under the per-run cap), until
 * the campaign is complete or `remainingMs` leaves no time for another. Safe beside the
 * schedule: the lease and the per-recipient claims keep every apology to one. The caller
 * calls again until `state` is COMPLETE.
 *
 * @throws CampaignNotFoundError when no campaign was planned (dry run first)
 * @throws CampaignAwaitingApprovalError when it waits for approval
 * @example
 * const report = await runCampaign('inc-…', deps, () => context.getRemainingTimeInMillis(), (run) => reportRun(run, logger, metrics));
 */
export async function runCampaign(
  incidentId: string,
  deps: RunDeps,
  remainingMs: () => number,
  onRun: (report: RunReport) => void = () => undefined,
): Promise<CampaignRunReport> {
  let campaign = await deps.campaigns.get(incidentId);
  if (!campaign) throw new CampaignNotFoundError(incidentId);
  if (campaign.state === CampaignState.AWAITING_APPROVAL) throw new CampaignAwaitingApprovalError(incidentId);
  let handledNow = 0;
  let rounds = 0;
  let leaseHeld = false;
  let sendingPaused = false;
  while (campaign.state !== CampaignState.COMPLETE && remainingMs() > deps.settings.safetyMarginMs) {
    const report = await runAuditOnce(deps, remainingMs);
    onRun(report);
    rounds += 1;
    leaseHeld = report.lease === 'HELD';
    sendingPaused = report.sendingPaused;
    const mine = report.campaigns.find((c) => c.incidentId === incidentId);
    const handled = mine ? mine.sent + mine.failed + mine.uncertain + mine.skipped : 0;
    handledNow += handled;
    campaign = (await deps.campaigns.get(incidentId)) ?? campaign;
    // Held lease, kill switch, throttling: nothing more can happen in this call.
    if (leaseHeld || sendingPaused || (handled === 0 && !mine?.complete)) break;
  }
  return {
    incidentId,
    state: campaign.state,
    toApologise: campaign.summary.toApologise,
    claims: await deps.campaigns.claimCounts(incidentId),
    handledNow,
    rounds,
    leaseHeld,
    sendingPaused,
  };
}
