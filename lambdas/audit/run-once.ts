import type { RunDeps } from './audit-deps';
import { auditCorrections } from './audit-corrections';
import { auditPending } from './audit-pending';
import { dispatchRowAudit } from './dispatch-row-audit';
import { memoizedDirectories } from './memoized-directories';
import { addTally, newTally, type AuditTally } from './audit-tally';
import { planCampaign } from './campaign/plan-campaign';
import { completeIfSettled, enqueueApologies } from './campaign/enqueue-apologies';
import { sweepIncident } from './sweep-incident';
import { CampaignState } from './ports/campaigns';
import { SkipReason } from './campaign/apology-plan';
import { IncidentOrigin } from './incident';

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
  /** Campaigns whose plan this run worked on, with their state after it (PLANNING: the next run goes on). */
  readonly campaignsPlanned: readonly {
    readonly incidentId: string;
    readonly state?: string;
    readonly toApologise: number;
    readonly finishedNow: boolean;
    /** Addresses skipped because every notice they would be apologised for here another incident apologised for (absent: none). */
    readonly alreadyApologised?: number;
  }[];
  /** Approved campaigns: recipients this run put on the apology queue, and whether all are on it. */
  readonly campaigns: readonly CampaignEnqueued[];
  /** True when approved campaigns wait because the kill switch is on (the sender puts their apologies back). */
  readonly sendingPaused: boolean;
  /** When the lease another run holds ends (set with `lease: HELD`). */
  readonly leaseUntil?: string;
}

/** What a run did for one approved campaign. */
export interface CampaignEnqueued {
  readonly incidentId: string;
  readonly enqueuedNow: number;
  readonly enqueued: number;
  readonly allEnqueued: boolean;
  readonly complete: boolean;
}

/**
 * One run of the audit function: take the lease, audit new rows, judge again the rows
 * directory corrections touched, sweep declared incidents, plan their campaigns (page by
 * page, resuming), and put approved campaigns' recipients on the apology queue (page by page,
 * resuming), stopping before the time limit; the apology sender sends them. Overlapping runs:
 * the lease keeps a second run idle, and the saved cursors and per-recipient claims keep a
 * page done twice harmless.
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
    const leaseUntil = await deps.lease.heldUntil();
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
      ...(leaseUntil ? { leaseUntil: leaseUntil.toISOString() } : {}),
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

    // Plan swept incidents without a finished plan (while there is time), and note which may send.
    const planned: RunReport['campaignsPlanned'][number][] = [];
    const approved: string[] = [];
    // Operators' incidents first: of two plans wanting one notice the first takes it (one apology per
    // notice), and an operator's declared incident keeps what the audit's corrections incident also holds.
    const correctionsIncidents = new Set(incidents.filter((i) => i.origin === IncidentOrigin.CORRECTIONS).map((i) => i.incidentId));
    for (const incidentId of [...swept.filter((id) => !correctionsIncidents.has(id)), ...swept.filter((id) => correctionsIncidents.has(id))]) {
      let state = (await deps.campaigns.get(incidentId))?.state;
      // A corrections incident that took rows in this run is planned again while it waits for approval.
      const replan = state === CampaignState.AWAITING_APPROVAL && corrected.includes(incidentId);
      if ((state === undefined || state === CampaignState.PLANNING || replan) && hasTime()) {
        const report = await planCampaign(incidentId, deps, { approvalThreshold: s.approvalThreshold, personRoles: s.personRoles, hasTime, restart: replan, sampleSize: 0 });
        const alreadyApologised = report.summary.skipped[SkipReason.ALREADY_APOLOGISED] ?? 0;
        planned.push({
          incidentId,
          state: report.state,
          toApologise: report.summary.toApologise,
          finishedNow: report.finishedNow,
          ...(alreadyApologised > 0 ? { alreadyApologised } : {}),
        });
        state = report.state;
      }
      if (state === CampaignState.APPROVED) approved.push(incidentId);
    }

    const campaigns: CampaignEnqueued[] = [];
    for (const incidentId of approved) {
      const { enqueuedNow, progress } = await enqueueApologies(incidentId, deps, hasTime);
      await completeIfSettled(incidentId, deps.campaigns, deps.now());
      const complete = (await deps.campaigns.get(incidentId))?.state === CampaignState.COMPLETE;
      campaigns.push({ incidentId, enqueuedNow, enqueued: progress?.enqueued ?? 0, allEnqueued: progress?.done ?? false, complete });
    }
    // The sender checks the switch before every apology; this only tells the report.
    const sendingPaused = approved.length > 0 && (await deps.killSwitch.isPaused());
    return { runId, lease: 'ACQUIRED', audit, incidentAudit, correctionAudit, incidentsSwept: swept, campaignsPlanned: planned, campaigns, sendingPaused };
  } finally {
    await deps.lease.release(runId);
  }
}
