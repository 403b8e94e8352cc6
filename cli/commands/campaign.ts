import { setTimeout as sleep } from 'node:timers/promises';
import { approveCampaign } from '../../lambdas/audit/approve-campaign';
import { dryRunCampaign } from '../../lambdas/audit/dry-run-campaign';
import { ApprovalConflictError, CampaignNotFoundError, IncidentNotFoundError } from '../../lambdas/audit/errors';
import type { PlanReport } from '../../lambdas/audit/plan-campaign';
import { runAuditOnce } from '../../lambdas/audit/run-once';
import { CampaignState, type Approval, type Campaign } from '../../lambdas/ports/campaigns';
import type { AuditCliTarget } from '../audit/audit-target';
import { ProgressBar, type ProgressOutput } from '../audit/progress-bar';
import { CliError } from '../errors';

/**
 * `campaign dry-run <incidentId>`: audits the incident's rows to the end, plans its
 * campaign and prints counts by reason and a masked sample. Sends nothing.
 *
 * @example
 * await campaignDryRunCommand(target, 'inc-20250302-a1b2c3', console.log);
 */
export async function campaignDryRunCommand(target: AuditCliTarget, incidentId: string, print: (line: string) => void): Promise<PlanReport> {
  const report = await guard(() => dryRunCampaign(incidentId, target.deps, { approvalThreshold: target.deps.settings.approvalThreshold }));
  const s = report.summary;
  print(`Dry run of incident ${incidentId} (${target.description}); nothing was sent.`);
  print(`  rows in the incident: ${s.rows}`);
  print(`  wrong notices by reason: ${formatCounts(s.wrongNotices)}`);
  print(`  would apologise to ${s.toApologise} address(es): ${formatCounts(s.toApologiseByReason)}`);
  print(`  would not write to: ${formatCounts(s.skipped)}`);
  if (report.sample.length > 0) print('  sample:');
  for (const r of report.sample) print(`    ${r.address}  ${r.reason}  ${r.locale}`);
  if (report.frozen) print(`  campaign is ${report.state}: its plan no longer changes.`);
  else if (report.state === CampaignState.AWAITING_APPROVAL) {
    print(`  more than ${target.deps.settings.approvalThreshold} recipients: waits for approval.`);
    print(`  Next: npx tsx cli/main.ts campaign approve ${incidentId} --plan ${report.plannedAt} --by <your name>`);
  } else if (s.toApologise > 0) print('  within the approval threshold: the next audit run sends it (or: campaign run).');
  return report;
}

/**
 * `campaign approve <incidentId> --by <name> [--plan <plannedAt>]`: records the approval
 * of the plan the dry run showed (`--plan` pins it: a plan changed since is not approved).
 *
 * @example
 * await campaignApproveCommand(target, 'inc-…', { approvedBy: 'ops', plannedAt }, console.log);
 */
export async function campaignApproveCommand(
  target: AuditCliTarget,
  incidentId: string,
  request: { readonly approvedBy: string; readonly plannedAt?: string },
  print: (line: string) => void,
): Promise<Approval | 'ALREADY_APPROVED'> {
  const result = await guard(() => approveCampaign(incidentId, request, target.deps.campaigns, new Date()));
  if (result === 'ALREADY_APPROVED') print(`The campaign of ${incidentId} needs no approval (approved already, or within the threshold).`);
  else print(`Approved the campaign of ${incidentId}: ${result.approvedSize} apologies, by ${result.approvedBy} at ${result.approvedAt}.`);
  return result;
}

/** Options of `campaign run`. */
export interface CampaignRunOptions {
  /** Where the progress bar goes (a TTY gets a bar, anything else lines). */
  readonly out: ProgressOutput;
  /** Apologies per round; the bar updates after each. @default 10 */
  readonly perRound?: number;
  /** How long the command may run. @default 15 minutes */
  readonly timeLimitMs?: number;
}

/**
 * `campaign run <incidentId>`: runs the audit function's work now, round after round
 * (each round = one scheduled run: lease, audit, pace, cap), until the campaign is
 * complete, with a progress bar. Safe beside the schedule: the lease and the claims
 * keep every apology to one.
 *
 * @example
 * await campaignRunCommand(target, 'inc-…', { out: process.stdout }, console.log);
 */
export async function campaignRunCommand(
  target: AuditCliTarget,
  incidentId: string,
  options: CampaignRunOptions,
  print: (line: string) => void,
): Promise<Campaign> {
  const deps = { ...target.deps, settings: { ...target.deps.settings, maxApologiesPerRun: options.perRound ?? 10 } };
  const deadline = Date.now() + (options.timeLimitMs ?? 15 * 60_000);
  const bar = new ProgressBar(options.out, 'apologies handled');
  for (let idle = 0; ; ) {
    const campaign = await target.deps.campaigns.get(incidentId);
    if (!campaign) throw new CampaignNotFoundError(incidentId);
    if (campaign.state === CampaignState.AWAITING_APPROVAL) {
      throw new CliError(`The campaign of ${incidentId} waits for approval: campaign approve ${incidentId} --by <name>.`);
    }
    const claims = await target.deps.campaigns.claimCounts(incidentId);
    bar.update(total(claims), campaign.summary.toApologise, formatCounts(claims));
    if (campaign.state === CampaignState.COMPLETE) break;
    if (Date.now() > deadline) {
      bar.done();
      print('Time limit reached; the scheduled runs carry on from here.');
      return campaign;
    }
    const report = await runAuditOnce(deps, () => deadline - Date.now());
    if (report.sendingPaused) throw new CliError('Sending is paused by the kill switch; nothing was sent.');
    const progressed = report.campaigns.some((c) => c.sent + c.failed + c.uncertain + c.skipped + c.taken > 0 || c.complete);
    idle = progressed ? 0 : idle + 1;
    // Another run holds the lease, or SES throttles: wait and try again, but not for ever.
    if (idle > 0) await sleep(Math.min(10_000, 1_000 * idle));
    if (idle > 30) throw new CliError('No progress for a while (lease held elsewhere or SES throttling). Try again later.');
  }
  bar.done();
  const final = (await target.deps.campaigns.get(incidentId))!;
  print(`Campaign of ${incidentId} complete: ${formatCounts(await target.deps.campaigns.claimCounts(incidentId))}.`);
  return final;
}

/**
 * `campaign status <incidentId>`: state, approval record and apologies by outcome.
 *
 * @example
 * await campaignStatusCommand(target, 'inc-…', process.stdout, console.log);
 */
export async function campaignStatusCommand(
  target: AuditCliTarget,
  incidentId: string,
  out: ProgressOutput,
  print: (line: string) => void,
): Promise<{ campaign: Campaign | undefined; claims: Record<string, number> }> {
  const incident = await target.deps.incidents.get(incidentId);
  if (!incident) throw new CliError(new IncidentNotFoundError(incidentId).message);
  const campaign = await target.deps.campaigns.get(incidentId);
  print(`Incident ${incidentId}: ${incident.description} (audited: ${incident.sweep.done ? 'yes' : 'in progress'})`);
  if (!campaign) {
    print('  no campaign planned yet: run campaign dry-run.');
    return { campaign, claims: {} };
  }
  const claims = await target.deps.campaigns.claimCounts(incidentId);
  print(`  state: ${campaign.state}, planned ${campaign.plannedAt}`);
  if (campaign.approval) print(`  approved by ${campaign.approval.approvedBy} at ${campaign.approval.approvedAt} for ${campaign.approval.approvedSize}`);
  const bar = new ProgressBar(out, 'apologies handled');
  bar.update(total(claims), campaign.summary.toApologise, formatCounts(claims));
  bar.done();
  if ((claims.SENDING ?? 0) + (claims.UNCERTAIN ?? 0) > 0) {
    print('  SENDING/UNCERTAIN: the apology may or may not have gone; it is never re-sent (see docs/audit-and-apology.md).');
  }
  return { campaign, claims };
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IncidentNotFoundError || error instanceof CampaignNotFoundError || error instanceof ApprovalConflictError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}
