import type { CampaignDeps } from '../audit-deps';
import { IncidentNotFoundError } from '../errors';
import { planCampaign, type PlanReport } from './plan-campaign';
import { sweepIncident } from '../sweep-incident';
import type { PersonRoles } from '../person';

/** How far a dry run may go in one call. */
export interface DryRunOptions {
  readonly approvalThreshold: number;
  /** Roles whose sessions name a person (the declarer's day of automatic approvals). @default DEFAULT_PERSON_ROLES */
  readonly personRoles?: PersonRoles;
  /** Checked before each page; the next call resumes where this one stopped. @default () => true */
  readonly hasTime?: () => boolean;
  /** Continue this plan (`plannedAt` of an earlier call); without it, a finished plan waiting for approval is made again. */
  readonly plannedAt?: string;
  readonly sampleSize?: number;
}

/**
 * The operator's dry run, one bounded slice at a time: audits the incident's rows (the
 * sweep, idempotent, sends nothing), then plans the campaign page by page and stores the
 * plan so it can be approved as shown. Call again with the report's `plannedAt` until `done`.
 * A campaign within the approval threshold is approved by the plan itself and sent; a larger
 * one waits for `approveCampaign`.
 *
 * @example
 * let report = await dryRunCampaign('inc-…', deps, { approvalThreshold: 100, hasTime });
 * while (!report.done) report = await dryRunCampaign('inc-…', deps, { approvalThreshold: 100, hasTime, plannedAt: report.plannedAt });
 */
export async function dryRunCampaign(incidentId: string, deps: CampaignDeps, options: DryRunOptions): Promise<PlanReport> {
  const hasTime = options.hasTime ?? ((): boolean => true);
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const all = await deps.incidents.list();
  const sweep = await sweepIncident(incident, all, deps, { maxRows: Number.POSITIVE_INFINITY, hasTime });
  if (!sweep.done) {
    const campaign = await deps.campaigns.get(incidentId);
    return {
      incidentId,
      audited: false,
      summary: campaign?.summary ?? { wrongNotices: {}, toApologise: 0, toApologiseByReason: {}, skipped: {}, rows: 0 },
      sample: [],
      ...(campaign ? { state: campaign.state } : {}),
      plannedAt: options.plannedAt ?? '',
      frozen: false,
      done: false,
      finishedNow: false,
    };
  }
  const current = await deps.campaigns.get(incidentId);
  return planCampaign(incidentId, deps, {
    approvalThreshold: options.approvalThreshold,
    ...(options.personRoles ? { personRoles: options.personRoles } : {}),
    hasTime,
    // The first call of a dry run plans afresh; its follow-ups continue that plan.
    restart: options.plannedAt === undefined || options.plannedAt !== current?.plannedAt,
    ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
  });
}
