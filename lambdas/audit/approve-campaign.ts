import { CampaignState, type Approval, type CampaignStore } from '../ports/campaigns';
import { ApprovalConflictError, CampaignNotFoundError } from './errors';

/**
 * Records an operator's approval of the plan they saw. The approval names the plan
 * (`plannedAt`) and its size, so a plan that changed since the dry run is not approved
 * by mistake.
 *
 * @returns the approval, or `'ALREADY_APPROVED'` when the campaign needed none or has one
 * @throws CampaignNotFoundError when no plan exists yet (run a dry run first)
 * @throws ApprovalConflictError when the plan changed since it was shown
 * @example
 * await approveCampaign('inc-…', { approvedBy: 'ops@example.com', plannedAt }, campaigns, new Date());
 */
export async function approveCampaign(
  incidentId: string,
  request: { readonly approvedBy: string; readonly plannedAt?: string },
  campaigns: CampaignStore,
  now: Date,
): Promise<Approval | 'ALREADY_APPROVED'> {
  const campaign = await campaigns.get(incidentId);
  if (!campaign) throw new CampaignNotFoundError(incidentId);
  if (campaign.state !== CampaignState.AWAITING_APPROVAL) return 'ALREADY_APPROVED';
  if (request.plannedAt !== undefined && request.plannedAt !== campaign.plannedAt) throw new ApprovalConflictError(incidentId);
  const approval: Approval = {
    approvedBy: request.approvedBy,
    approvedAt: now.toISOString(),
    approvedSize: campaign.summary.toApologise,
  };
  await campaigns.approve(incidentId, campaign.plannedAt, approval);
  return approval;
}
