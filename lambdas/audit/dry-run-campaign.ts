import type { CampaignDeps } from './audit-deps';
import { IncidentNotFoundError } from './errors';
import { planCampaign, type PlanReport } from './plan-campaign';
import { sweepIncident } from './sweep-incident';

/**
 * The operator's dry run: audits every row of the incident to the end (idempotent, sends
 * nothing), then plans the campaign and stores the plan so it can be approved as shown.
 * A campaign within the approval threshold is approved by the plan itself and the next
 * run sends it; a larger one waits for `approveCampaign`.
 *
 * @example
 * const report = await dryRunCampaign('inc-…', deps, { approvalThreshold: 100 });
 * report.summary.toApologise // 3
 */
export async function dryRunCampaign(
  incidentId: string,
  deps: CampaignDeps,
  options: { readonly approvalThreshold: number; readonly sampleSize?: number },
): Promise<PlanReport> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const all = await deps.incidents.list();
  await sweepIncident(incident, all, deps, { maxRows: Number.POSITIVE_INFINITY, hasTime: () => true });
  return planCampaign(incidentId, deps, { approvalThreshold: options.approvalThreshold, persist: true, sampleSize: options.sampleSize });
}
