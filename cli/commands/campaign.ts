import { setTimeout as sleep } from 'node:timers/promises';
import { CampaignState } from '../../lambdas/ports/campaigns';
import { ProgressBar } from '../framework/progress-bar';
import { CliError } from '../errors';
import { defineCommand } from '../framework/define-command';
import { operatorEndpoint } from '../operator/operator-endpoint';

const incidentArg = [{ name: 'incidentId', description: 'the incident, e.g. inc-legacy' }] as const;

/** `campaign dry-run <incidentId>`: audits the incident to the end, plans its campaign, prints counts and a masked sample. */
export const campaignDryRunCommand = defineCommand({
  name: 'campaign dry-run',
  summary: 'audit the incident, plan its apologies (counts by reason, masked sample); sends nothing',
  args: incidentArg,
  target: 'operator',
  run: async ({ args: { incidentId }, target, io }) => {
    const endpoint = operatorEndpoint(target, io.env);
    const report = await endpoint.call('campaign dry-run', { incidentId });
    const s = report.summary;
    io.print(`Dry run of incident ${incidentId} (${endpoint.description}); nothing was sent.`);
    io.print(`  rows in the incident: ${s.rows}`);
    io.print(`  wrong notices by reason: ${formatCounts(s.wrongNotices)}`);
    io.print(`  would apologise to ${s.toApologise} address(es): ${formatCounts(s.toApologiseByReason)}`);
    io.print(`  would not write to: ${formatCounts(s.skipped)}`);
    if (report.sample.length > 0) io.print('  sample:');
    for (const r of report.sample) io.print(`    ${r.address}  ${r.reason}  ${r.locale}`);
    if (report.frozen) io.print(`  campaign is ${report.state}: its plan no longer changes.`);
    else if (report.state === CampaignState.AWAITING_APPROVAL) {
      io.print(`  more than ${report.approvalThreshold} recipients: waits for approval by a second person (not the incident's declarer).`);
      io.print(`  Next: npx tsx cli/main.ts campaign approve ${incidentId} --plan ${report.plannedAt}`);
    } else if (s.toApologise > 0) io.print('  within the approval threshold: the next audit run sends it (or: campaign run).');
  },
});

/** `campaign approve <incidentId> [--plan <plannedAt>]`: the caller approves the plan the dry run showed. */
export const campaignApproveCommand = defineCommand({
  name: 'campaign approve',
  summary: 'approve the plan the dry run showed, as your IAM identity (not the declarer, above the threshold)',
  args: incidentArg,
  options: {
    plan: { type: 'string', placeholder: '<plannedAt>', description: 'the plannedAt the dry run printed: a plan changed since is not approved' },
  },
  target: 'operator',
  run: async ({ args: { incidentId }, options, target, io }) => {
    const endpoint = operatorEndpoint(target, io.env);
    const result = await endpoint.call('campaign approve', { incidentId, ...(options.plan !== undefined ? { plan: options.plan } : {}) });
    if (result.outcome === 'ALREADY_APPROVED') io.print(`The campaign of ${incidentId} needs no approval (approved already, or within the threshold).`);
    else {
      const a = result.approval;
      io.print(`Approved the campaign of ${incidentId}: ${a.approvedSize} apologies, by ${a.approvedBy} at ${a.approvedAt}.`);
    }
  },
});

/** Seconds one `campaign run` request may send for before it answers, so the bar moves. */
const SECONDS_PER_REQUEST = 20;
/** Requests in a row that may do nothing (lease held by the schedule, SES throttling) before giving up. */
const MAX_IDLE_REQUESTS = 30;

/**
 * `campaign run <incidentId>`: asks the endpoint to send, request after request (each a few
 * seconds of the audit function's work, in the function), with a progress bar, until the
 * campaign is complete.
 */
export const campaignRunCommand = defineCommand({
  name: 'campaign run',
  summary: 'send the approved apologies now (in the function), with progress, until complete',
  args: incidentArg,
  target: 'operator',
  run: async ({ args: { incidentId }, target, io }) => {
    const endpoint = operatorEndpoint(target, io.env);
    const bar = new ProgressBar(io.out, 'apologies handled');
    let handledNow = 0;
    for (let idle = 0; ; ) {
      const report = await endpoint.call('campaign run', { incidentId, maxSeconds: SECONDS_PER_REQUEST });
      handledNow += report.handledNow;
      bar.update(total(report.claims), report.toApologise, formatCounts(report.claims));
      if (report.state === CampaignState.COMPLETE) {
        bar.done();
        io.print(`Campaign of ${incidentId} complete: ${formatCounts(report.claims)}.`);
        io.print(`  this run handled ${handledNow}.`);
        return 0;
      }
      if (report.sendingPaused) {
        bar.done();
        throw new CliError('Sending is paused by the kill switch; nothing was sent.');
      }
      idle = report.handledNow > 0 ? 0 : idle + 1;
      if (idle > MAX_IDLE_REQUESTS) {
        bar.done();
        throw new CliError('No progress for a while (lease held elsewhere or SES throttling). Try again later.');
      }
      // Another run holds the lease, or SES throttles: wait and ask again.
      if (idle > 0) await sleep(Math.min(10_000, 1_000 * idle));
    }
  },
});

/** `campaign status <incidentId>`: state, approval record and apologies by outcome. */
export const campaignStatusCommand = defineCommand({
  name: 'campaign status',
  summary: "an incident's campaign: state, approval, apologies by outcome",
  args: incidentArg,
  target: 'operator',
  run: async ({ args: { incidentId }, target, io }) => {
    const endpoint = operatorEndpoint(target, io.env);
    const { incident, campaign, claims } = await endpoint.call('campaign status', { incidentId });
    io.print(`Incident ${incidentId}: ${incident.description} (audited: ${incident.sweep.done ? 'yes' : 'in progress'})`);
    if (incident.declaredBy) io.print(`  declared by ${incident.declaredBy} at ${incident.declaredAt}`);
    if (!campaign) {
      io.print('  no campaign planned yet: run campaign dry-run.');
      return;
    }
    io.print(`  state: ${campaign.state}, planned ${campaign.plannedAt}`);
    if (campaign.approval) io.print(`  approved by ${campaign.approval.approvedBy} at ${campaign.approval.approvedAt} for ${campaign.approval.approvedSize}`);
    const bar = new ProgressBar(io.out, 'apologies handled');
    bar.update(total(claims), campaign.summary.toApologise, formatCounts(claims));
    bar.done();
    if ((claims.SENDING ?? 0) + (claims.UNCERTAIN ?? 0) > 0) {
      io.print('  SENDING/UNCERTAIN: the apology may or may not have gone; it is never re-sent (see docs/audit-and-apology.md).');
    }
  },
});

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}
