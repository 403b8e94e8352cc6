import { Pacer, sendIntervalMs, type RunBudget } from '../domain/audit/pacer';
import type { RunDeps } from './audit-deps';
import { auditCorrections } from './audit-corrections';
import { auditPending } from './audit-pending';
import { dispatchRowAudit } from './dispatch-row-audit';
import { memoizedDirectories } from './memoized-directories';
import { addTally, newTally, type AuditTally } from './audit-tally';
import { planCampaign } from './plan-campaign';
import { sendApologies, type CampaignProgress, type RunSpend } from './send-apologies';
import { sweepIncident } from './sweep-incident';
import { CampaignState } from '../ports/campaigns';

/** What one scheduled run did. No personal data: counts, ids and reasons only. */
export interface RunReport {
  readonly runId: string;
  /** `HELD`: another run holds the lease, so this one did nothing. */
  readonly lease: 'ACQUIRED' | 'HELD';
  /**
   * The new rows audited (each wrong notice is counted here once, when first found), or with
   * an audit queue wired the shards handed to the row-audit workers, which count their own.
   */
  readonly audit: AuditTally & { readonly pendingDone: boolean; readonly shardsQueued: number };
  /** Rows of declared incidents re-audited (audited before or not; not counted as new findings). */
  readonly incidentAudit: AuditTally;
  /** Directory corrections read, and the rows they touched judged again (wrong ones are new findings). */
  readonly correctionAudit: AuditTally & { readonly corrections: number; readonly done: boolean };
  /** Incidents whose rows were all audited by the end of this run. */
  readonly incidentsSwept: readonly string[];
  /** Campaigns planned in this run, with their state. */
  readonly campaignsPlanned: readonly { readonly incidentId: string; readonly state?: string; readonly toApologise: number }[];
  readonly campaigns: readonly CampaignProgress[];
  /** True when approved campaigns waited because the kill switch is on. */
  readonly sendingPaused: boolean;
}

/**
 * One run of the audit function: take the lease, audit new rows, judge again the rows
 * directory corrections touched, sweep declared incidents, plan their campaigns, and send approved apologies, paced under SES's
 * rate and the per-run cap, stopping before the time limit. Overlapping runs: the
 * lease keeps a second run idle, and per-recipient claims would stop a double send
 * even without it.
 *
 * @example
 * const report = await runAuditOnce(deps, () => context.getRemainingTimeInMillis());
 */
export async function runAuditOnce(runDeps: RunDeps, remainingMs: () => number): Promise<RunReport> {
  const deps: RunDeps = { ...runDeps, ...memoizedDirectories(runDeps) };
  const runId = deps.newRunId();
  const s = deps.settings;
  const now = deps.now();
  const empty = { ...newTally(), pendingDone: false, shardsQueued: 0 };
  if (!(await deps.lease.acquire(runId, now, new Date(now.getTime() + s.leaseMs)))) {
    return {
      runId,
      lease: 'HELD',
      audit: empty,
      incidentAudit: newTally(),
      correctionAudit: { ...newTally(), corrections: 0, done: false },
      incidentsSwept: [],
      campaignsPlanned: [],
      campaigns: [],
      sendingPaused: false,
    };
  }
  try {
    const hasTime = (): boolean => remainingMs() > s.safetyMarginMs;
    const declared = await deps.incidents.list();

    // New rows: fanned out to the row-audit workers, one message per shard; without a queue, here.
    const decidedBy = new Date(now.getTime() - s.settleMs).toISOString();
    let audit: RunReport['audit'];
    if (deps.rowAudit) audit = { ...empty, shardsQueued: await dispatchRowAudit(deps.rowAudit) };
    else {
      const { done, ...tally } = await auditPending(deps, declared, { maxRows: s.maxRowsPerRun, hasTime, decidedBy });
      audit = { ...tally, pendingDone: done, shardsQueued: 0 };
    }

    // Corrections of the past judge the notices they touch again, by the facts as now known.
    const { incidents: corrected, ...correctionAudit } = await auditCorrections(deps, declared, { maxRows: s.maxRowsPerRun, hasTime });
    // Corrections incidents declared just now are planned in this run.
    const incidents = corrected.length > 0 ? await deps.incidents.list() : declared;

    const swept: string[] = [];
    const incidentAudit = newTally();
    for (const incident of incidents) {
      const result = await sweepIncident(incident, incidents, deps, { maxRows: s.maxRowsPerRun, hasTime });
      addTally(incidentAudit, result);
      if (result.done) swept.push(incident.incidentId);
    }

    // One campaign read per swept incident: plan the ones without a campaign (while there is
    // time), and note which may send.
    const planned: { incidentId: string; state?: string; toApologise: number }[] = [];
    const approved: string[] = [];
    for (const incidentId of swept) {
      let state = (await deps.campaigns.get(incidentId))?.state;
      // A corrections incident that took rows in this run is planned again while it waits for approval.
      const replan = state === CampaignState.AWAITING_APPROVAL && corrected.includes(incidentId);
      if ((state === undefined || replan) && hasTime()) {
        const report = await planCampaign(incidentId, deps, { approvalThreshold: s.approvalThreshold, persist: true, sampleSize: 0 });
        planned.push({ incidentId, state: report.state, toApologise: report.summary.toApologise });
        state = report.state;
      }
      if (state === CampaignState.APPROVED) approved.push(incidentId);
    }

    const campaigns: CampaignProgress[] = [];
    // Checked once per run: a run is minutes long, and every apology is claimed before it goes.
    const sendingPaused = approved.length > 0 && (await deps.killSwitch.isPaused());
    if (approved.length > 0 && !sendingPaused) {
      const intervalMs = sendIntervalMs({ maxSendRate: await deps.quota.maxSendRate(), share: s.sendRateShare });
      const pacer = new Pacer(intervalMs, () => Date.now(), deps.sleep);
      const budget: RunBudget = { maxPerRun: s.maxApologiesPerRun, safetyMarginMs: s.safetyMarginMs, remainingMs };
      const spend: RunSpend = { sent: 0 };
      for (const incidentId of approved) {
        const progress = await sendApologies(incidentId, deps, budget, spend, pacer, runId, intervalMs);
        campaigns.push(progress);
        if (progress.stopped) break;
      }
    }
    return { runId, lease: 'ACQUIRED', audit, incidentAudit, correctionAudit, incidentsSwept: swept, campaignsPlanned: planned, campaigns, sendingPaused };
  } finally {
    await deps.lease.release(runId);
  }
}
