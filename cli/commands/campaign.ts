import { setTimeout as sleep } from 'node:timers/promises';
import type { OperatorResult } from '../../lambdas/operator/commands';
import { CampaignState } from '../../lambdas/audit/ports/campaigns';
import { approvalNeedWords } from '../../lambdas/audit/campaign/approval-need-words';
import { ProgressBar } from '../framework/progress-bar';
import { CliError } from '../errors';
import type { CommandIo } from '../framework/define-command';
import { defineOperatorCliCommand } from '../operator/operator-cli-command';
import type { OperatorEndpoint } from '../operator/operator-endpoint';

const incidentArg = [{ name: 'incidentId', description: 'the incident, e.g. inc-legacy' }] as const;

/** Seconds one dry-run or run request may work before it answers, so the bars move. */
const SECONDS_PER_REQUEST = 20;
/** How often `campaign run` reads the counters while it watches. */
const WATCH_EVERY_MS = 2_000;
/** Watching ends, non-zero, when nothing settles for this long (SES down for long, the kill switch, a stuck sender). */
const MAX_QUIET_MS = 180_000;
/** Longest a run waits for another run's lease: the audit lease lasts 360 s. */
const MAX_LEASE_WAIT_MS = 420_000;

/** `campaign dry-run <incidentId>`: audits the incident, plans its campaign in pages with a progress bar, prints counts and a masked sample. */
export const campaignDryRunCommand = defineOperatorCliCommand({
  name: 'campaign dry-run',
  args: incidentArg,
  run: async ({ args: { incidentId }, endpoint, io }) => {
    const bar = new ProgressBar(io.out, 'planned');
    let plan: string | undefined;
    let report: OperatorResult<'campaign dry-run'>;
    for (;;) {
      report = await endpoint.call('campaign dry-run', { incidentId, maxSeconds: SECONDS_PER_REQUEST, ...(plan ? { plan } : {}) });
      if (report.done) break;
      plan = report.plannedAt || undefined;
      const p = report.progress;
      if (!report.audited || !p) bar.update(0, 1, 'auditing the incident’s rows');
      else if (p.phase === 'ROWS') bar.update(p.rowsRead, Math.max(p.rowsTotal, p.rowsRead), `rows read, ${p.addresses} address(es)`);
      else bar.update(p.addressesDecided, p.addresses, 'addresses decided');
    }
    bar.done();
    const s = report.summary;
    io.print(`Dry run of incident ${incidentId} (${endpoint.description}); nothing was sent.`);
    io.print(`  rows in the incident: ${s.rows}`);
    io.print(`  wrong notices by reason: ${formatCounts(s.wrongNotices)}`);
    io.print(`  would apologise to ${s.toApologise} address(es): ${formatCounts(s.toApologiseByReason)}`);
    io.print(`  would not write to: ${formatCounts(s.skipped)}`);
    // One apology per notice: notices of this incident another incident's campaign apologised for (or holds in its plan).
    if (s.alreadyApologisedIn) io.print(`  notices already apologised for in another incident: ${formatCounts(s.alreadyApologisedIn)}`);
    if (report.sample.length > 0) io.print('  sample:');
    for (const r of report.sample) io.print(`    ${r.address}  ${r.reason}  ${r.locale}`);
    if (report.frozen) io.print(`  campaign is ${report.state}: its plan no longer changes.`);
    else if (report.state === CampaignState.AWAITING_APPROVAL) {
      // Why it waits (docs/operator.md, "Identity and the two-person rule"), in the console's words too.
      for (const line of approvalNeedWords(s, report.approvalThreshold)) io.print(`  ${line}`);
      io.print(`  Next: npx tsx cli/main.ts campaign approve ${incidentId} --plan ${report.plannedAt}`);
    } else if (s.toApologise > 0) io.print('  within the approval threshold: approved; campaign run sends it (or the next audit run enqueues it).');
  },
});

/** `campaign approve <incidentId> [--plan <plannedAt>]`: the caller approves the plan the dry run showed. */
export const campaignApproveCommand = defineOperatorCliCommand({
  name: 'campaign approve',
  args: incidentArg,
  options: {
    plan: { type: 'string', placeholder: '<plannedAt>', description: 'the plannedAt the dry run printed: a plan changed since is not approved' },
  },
  run: async ({ args: { incidentId }, options, endpoint, io }) => {
    const result = await endpoint.call('campaign approve', { incidentId, ...(options.plan !== undefined ? { plan: options.plan } : {}) });
    if (result.outcome === 'ALREADY_APPROVED') io.print(`The campaign of ${incidentId} needs no approval (approved already, or within the threshold).`);
    else {
      const a = result.approval;
      io.print(`Approved the campaign of ${incidentId}: ${a.approvedSize} apologies, by ${a.approvedBy} at ${a.approvedAt}.`);
    }
  },
});

type Progress = OperatorResult<'campaign status'>['progress'] & {};

/**
 * `campaign run <incidentId>`: puts the approved campaign's recipients on the apology queue
 * (request after request, in the function; waiting out another run's lease), then watches
 * the sender's progress from the counters until the campaign is complete. Says what this run
 * did and what is cumulative; exits non-zero when apologies are UNCERTAIN.
 */
export const campaignRunCommand = defineOperatorCliCommand({
  name: 'campaign run',
  args: incidentArg,
  options: {
    detach: { type: 'boolean', default: false, description: 'return once every recipient is enqueued, without watching the sending' },
  },
  run: async ({ args: { incidentId }, options, endpoint, io }) => {
    const before = (await endpoint.call('campaign status', { incidentId })).claims;
    const run = await enqueueAll(endpoint, incidentId, io);
    if (run.sendingPaused) io.print('  the kill switch is on: the sender puts every apology back until it is off.');
    if (options.detach) {
      io.print(`Enqueued ${run.enqueuedNow} this run (${run.enqueue?.enqueued ?? 0} of ${run.toApologise} in all); the sender sends them at ${run.allowedRate}/s.`);
      return 0;
    }
    const last = await watch(endpoint, incidentId, io, run);
    const thisRun = deltas(before, last.claims);
    io.print(`This run: enqueued ${run.enqueuedNow}, settled ${sum(thisRun)} (${formatCounts(thisRun)}).`);
    io.print(`Cumulative: ${last.settled} of ${last.toApologise} settled (${formatCounts(last.claims)}).`);
    return finalVerdict(incidentId, last, io);
  },
});

/** `campaign status <incidentId>`: state, approval record, plan and send progress from the counters, allowed rate, ETA. */
export const campaignStatusCommand = defineOperatorCliCommand({
  name: 'campaign status',
  args: incidentArg,
  run: async ({ args: { incidentId }, endpoint, io }) => {
    const { incident, campaign, progress } = await endpoint.call('campaign status', { incidentId });
    io.print(`Incident ${incidentId}: ${incident.description} (audited: ${incident.sweep.done ? 'yes' : 'in progress'})`);
    if (incident.declaredBy) io.print(`  declared by ${incident.declaredBy} at ${incident.declaredAt}`);
    if (!campaign || !progress) {
      io.print('  no campaign planned yet: run campaign dry-run.');
      return 0;
    }
    io.print(`  state: ${campaign.state}, planned ${campaign.plannedAt}`);
    if (campaign.approval) io.print(`  approved by ${campaign.approval.approvedBy} at ${campaign.approval.approvedAt} for ${campaign.approval.approvedSize}`);
    const p = progress.planning;
    if (p) {
      const planBar = new ProgressBar(io.out, p.phase === 'ROWS' ? 'rows read' : 'addresses decided');
      planBar.update(p.phase === 'ROWS' ? p.rowsRead : p.addressesDecided, p.phase === 'ROWS' ? Math.max(p.rowsTotal, p.rowsRead) : p.addresses);
      planBar.done();
      return 0;
    }
    if (progress.enqueue) io.print(`  enqueued: ${progress.enqueue.enqueued} of ${progress.toApologise}${progress.enqueue.done ? ' (all)' : ''}`);
    showSending(io, progress);
    return finalVerdict(incidentId, progress, io);
  },
});

async function enqueueAll(endpoint: OperatorEndpoint, incidentId: string, io: CommandIo): Promise<OperatorResult<'campaign run'> & { enqueuedNow: number }> {
  const bar = new ProgressBar(io.out, 'enqueued');
  let enqueuedNow = 0;
  const waitingSince = Date.now();
  for (;;) {
    const report = await endpoint.call('campaign run', { incidentId, maxSeconds: SECONDS_PER_REQUEST });
    enqueuedNow += report.enqueuedNow;
    bar.update(report.enqueue?.enqueued ?? 0, report.toApologise);
    if (report.state !== CampaignState.APPROVED || report.enqueue?.done) {
      bar.done();
      return { ...report, enqueuedNow };
    }
    if (report.leaseHeld) {
      // A live run (the schedule's) or a dead one: wait for its lease to end, never give up before.
      const until = report.leaseUntil ? Date.parse(report.leaseUntil) : Date.now() + 5_000;
      if (Date.now() - waitingSince > MAX_LEASE_WAIT_MS) throw new CliError(`Another audit run has held the lease for over ${MAX_LEASE_WAIT_MS / 1000} s; try again later.`);
      bar.update(report.enqueue?.enqueued ?? 0, report.toApologise, `another run holds the lease until ${new Date(until).toISOString()}: waiting`);
      await sleep(Math.min(Math.max(until - Date.now() + 500, 1_000), 30_000));
    }
  }
}

async function watch(endpoint: OperatorEndpoint, incidentId: string, io: CommandIo, start: { readonly toApologise: number }): Promise<Progress> {
  const bar = new ProgressBar(io.out, 'apologies settled');
  let quietSince = Date.now();
  let lastSettled = -1;
  for (;;) {
    const { progress } = await endpoint.call('campaign status', { incidentId });
    if (!progress) throw new CliError(`The campaign of ${incidentId} is gone.`);
    bar.update(progress.settled, progress.toApologise || start.toApologise, `${formatCounts(progress.claims)}; ${progress.allowedRate}/s allowed, ETA ${formatDuration(progress.etaSeconds)}`);
    if (progress.state === CampaignState.COMPLETE) {
      bar.done();
      return progress;
    }
    if (progress.settled !== lastSettled) {
      lastSettled = progress.settled;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > MAX_QUIET_MS) {
      bar.done();
      throw new CliError(
        `Nothing settled for ${MAX_QUIET_MS / 1000} s (${progress.settled} of ${progress.toApologise}): the kill switch may be on, or SES unreachable ` +
          '(the sender puts apologies back and retries). The apologies stay queued; campaign status shows them go out.',
      );
    }
    await sleep(WATCH_EVERY_MS);
  }
}

function showSending(io: CommandIo, progress: Progress): void {
  const bar = new ProgressBar(io.out, 'apologies settled');
  bar.update(progress.settled, progress.toApologise, formatCounts(progress.claims));
  bar.done();
  if (progress.state === CampaignState.APPROVED) io.print(`  allowed rate ${progress.allowedRate}/s; ETA ${formatDuration(progress.etaSeconds)}`);
}

/** Exit code: non-zero when an apology's outcome is unknown, so nobody reads "complete" as "all sent". */
function finalVerdict(incidentId: string, progress: Progress, io: CommandIo): number {
  const uncertain = progress.claims.UNCERTAIN ?? 0;
  const failed = progress.claims.FAILED ?? 0;
  const complete = progress.state === CampaignState.COMPLETE;
  if (failed > 0) io.print(`  ${failed} apology(ies) FAILED: SES refused them for good.`);
  if (uncertain > 0) {
    io.print(
      `Campaign of ${incidentId} ${complete ? 'complete, but' : 'in progress;'} ${uncertain} apology(ies) UNCERTAIN: they may or may not have gone and are never re-sent ` +
        'automatically (docs/audit-and-apology.md, "Sending").',
    );
    return 1;
  }
  if (complete) io.print(`Campaign of ${incidentId} complete.`);
  return 0;
}

function deltas(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) if (n - (before[k] ?? 0) > 0) out[k] = n - (before[k] ?? 0);
  return out;
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

// Largest first, then by name: the counts come from DynamoDB maps, whose order means nothing.
function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

/** `95` → `1m35s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}
