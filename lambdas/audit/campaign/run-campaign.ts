import { allowedRate } from '../../mail/send-rate';
import { CampaignState, type CampaignState as State, type EnqueueProgress, type PlanProgress } from '../ports/campaigns';
import type { RunDeps } from '../audit-deps';
import { CampaignAwaitingApprovalError, CampaignNotFoundError, PlanInProgressError } from '../errors';
import { completeIfSettled, settledCount } from './enqueue-apologies';
import { runAuditOnce, type RunReport } from '../run-once';

/** Where a campaign stands, from its counters (never by reading every claim). */
export interface CampaignProgressReport {
  readonly incidentId: string;
  readonly state: State;
  /** Recipients the plan apologises to. */
  readonly toApologise: number;
  /** Settled apologies by state, cumulative (SENT, SKIPPED, FAILED, UNCERTAIN). */
  readonly claims: Readonly<Record<string, number>>;
  /** Settled of `toApologise`. */
  readonly settled: number;
  /** How many are on the apology queue so far, and whether all are. */
  readonly enqueue?: EnqueueProgress;
  /** The plan's progress, while PLANNING. */
  readonly planning?: PlanProgress;
  /** Apologies a second the sender may send now: SES `MaxSendRate` × our share. */
  readonly allowedRate: number;
  /** Seconds left at the allowed rate for what is not settled yet. */
  readonly etaSeconds: number;
}

/** What one `campaign run` call did, and where the campaign stands after it. */
export interface CampaignRunReport extends CampaignProgressReport {
  /** Recipients this call put on the apology queue. */
  readonly enqueuedNow: number;
  /** Audit runs this call made. */
  readonly rounds: number;
  /** Another run (the schedule's, or a dead one's) holds the lease: nothing was done; it ends at `leaseUntil`. */
  readonly leaseHeld: boolean;
  readonly leaseUntil?: string;
  /** The kill switch is on: the sender puts every apology back until it is off. */
  readonly sendingPaused: boolean;
}

/**
 * Puts an approved campaign's recipients on the apology queue now, round after round (each
 * round one scheduled run's work: lease, audit, plan, enqueue), until all are enqueued or
 * `remainingMs` leaves no time for another. The apology sender does the sending; safe beside
 * the schedule (the lease, the forward-only cursor and the per-recipient claims).
 *
 * @throws CampaignNotFoundError when no campaign was planned (dry run first)
 * @throws PlanInProgressError while its plan is still being made
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
  if (campaign.state === CampaignState.PLANNING) throw new PlanInProgressError(incidentId);
  if (campaign.state === CampaignState.AWAITING_APPROVAL) throw new CampaignAwaitingApprovalError(incidentId);
  let enqueuedNow = 0;
  let rounds = 0;
  let held: RunReport | undefined;
  let sendingPaused = false;
  while (campaign.state === CampaignState.APPROVED && !campaign.enqueue?.done && remainingMs() > deps.settings.safetyMarginMs) {
    const report = await runAuditOnce(deps, remainingMs);
    onRun(report);
    rounds += 1;
    sendingPaused = report.sendingPaused;
    if (report.lease === 'HELD') {
      held = report;
      break;
    }
    enqueuedNow += report.campaigns.find((c) => c.incidentId === incidentId)?.enqueuedNow ?? 0;
    campaign = (await deps.campaigns.get(incidentId)) ?? campaign;
  }
  if (!held && rounds === 0) sendingPaused = await deps.killSwitch.isPaused();
  return {
    ...(await campaignProgress(incidentId, deps)),
    enqueuedNow,
    rounds,
    leaseHeld: held !== undefined,
    ...(held?.leaseUntil ? { leaseUntil: held.leaseUntil } : {}),
    sendingPaused,
  };
}

/**
 * A campaign's progress from its counters, closing it (COMPLETE) once every recipient is
 * enqueued and settled.
 *
 * @throws CampaignNotFoundError when no campaign was planned
 */
export async function campaignProgress(incidentId: string, deps: Pick<RunDeps, 'campaigns' | 'quota' | 'settings' | 'now'>): Promise<CampaignProgressReport> {
  const claims = await completeIfSettled(incidentId, deps.campaigns, deps.now());
  const campaign = await deps.campaigns.get(incidentId);
  if (!campaign) throw new CampaignNotFoundError(incidentId);
  const rate = allowedRate(await deps.quota.maxSendRate(), deps.settings.sendRateShare);
  const settled = settledCount(claims);
  const left = Math.max(0, campaign.summary.toApologise - settled);
  return {
    incidentId,
    state: campaign.state,
    toApologise: campaign.summary.toApologise,
    claims,
    settled,
    ...(campaign.enqueue ? { enqueue: campaign.enqueue } : {}),
    ...(campaign.state === CampaignState.PLANNING && campaign.planning ? { planning: campaign.planning } : {}),
    allowedRate: rate,
    etaSeconds: rate > 0 ? Math.ceil(left / rate) : 0,
  };
}
