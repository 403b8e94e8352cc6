import { CampaignState, type Approval, type CampaignStore } from '../ports/campaigns';
import type { IncidentStore } from '../ports/incidents';
import { ApprovalConflictError, CampaignNotFoundError, IncidentNotFoundError, PlanInProgressError, SamePrincipalError } from '../errors';

/** An operator's approval of a plan they saw. */
export interface ApprovalRequest {
  /** Who approves: the caller's IAM ARN. */
  readonly approvedBy: string;
  /** The `plannedAt` of the plan the dry run showed; a plan changed since is not approved. */
  readonly plannedAt?: string;
}

/** What approving needs. */
export interface ApprovalDeps {
  readonly campaigns: CampaignStore;
  readonly incidents: IncidentStore;
  /** Campaigns with more recipients than this need a second person. */
  readonly approvalThreshold: number;
}

/**
 * Records an operator's approval of the plan they saw. The approval names the plan
 * (`plannedAt`) and its size, so a plan that changed since the dry run is not approved
 * by mistake. Above the approval threshold the two-person rule holds: whoever declared
 * the incident may not approve its campaign.
 *
 * @returns the approval, or `'ALREADY_APPROVED'` when the campaign needed none or has one
 * @throws CampaignNotFoundError when no plan exists yet (run a dry run first)
 * @throws PlanInProgressError while the plan is still being made
 * @throws ApprovalConflictError when the plan changed since it was shown
 * @throws SamePrincipalError when the approver declared the incident
 * @example
 * await approveCampaign('inc-…', { approvedBy: 'arn:aws:iam::123456789012:user/bob', plannedAt }, deps, new Date());
 */
export async function approveCampaign(
  incidentId: string,
  request: ApprovalRequest,
  deps: ApprovalDeps,
  now: Date,
): Promise<Approval | 'ALREADY_APPROVED'> {
  const campaign = await deps.campaigns.get(incidentId);
  if (!campaign) throw new CampaignNotFoundError(incidentId);
  if (campaign.state === CampaignState.PLANNING) throw new PlanInProgressError(incidentId);
  if (campaign.state !== CampaignState.AWAITING_APPROVAL) return 'ALREADY_APPROVED';
  if (request.plannedAt !== undefined && request.plannedAt !== campaign.plannedAt) throw new ApprovalConflictError(incidentId);
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  if (campaign.summary.toApologise > deps.approvalThreshold && incident.declaredBy === request.approvedBy) {
    throw new SamePrincipalError(incidentId);
  }
  const approval: Approval = {
    approvedBy: request.approvedBy,
    approvedAt: now.toISOString(),
    approvedSize: campaign.summary.toApologise,
  };
  await deps.campaigns.approve(incidentId, campaign.plannedAt, approval);
  return approval;
}
