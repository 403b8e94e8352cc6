import { CampaignState, type Approval, type CampaignStore } from '../ports/campaigns';
import type { IncidentStore } from '../ports/incidents';
import { ApprovalConflictError, CampaignNotFoundError, IncidentNotFoundError, PlanInProgressError, SamePrincipalError, TwoPersonRuleError } from '../errors';
import { DEFAULT_PERSON_ROLES, personOf, type PersonRoles } from '../person';
import { TwoPersonRule, twoPersonRefusal } from './two-person-rule';

/** An operator's approval of a plan they saw. */
export interface ApprovalRequest {
  /** Who approves: the caller's IAM ARN. */
  readonly approvedBy: string;
  /** IAM's id of the caller (`AIDA…`, `AROA…:<session>`): told apart from who applied a corrections import. */
  readonly approverUserId?: string;
  /** The `plannedAt` of the plan the dry run showed; a plan changed since is not approved. */
  readonly plannedAt?: string;
}

/** What approving needs. */
export interface ApprovalDeps {
  readonly campaigns: CampaignStore;
  readonly incidents: IncidentStore;
  /** Campaigns with more recipients than this need a second person (kept for the record: every campaign waiting for approval needs one). */
  readonly approvalThreshold: number;
  /** Roles whose sessions name a person (`person.ts`). @default DEFAULT_PERSON_ROLES */
  readonly personRoles?: PersonRoles;
}

/**
 * Records an operator's approval of the plan they saw. The approval names the plan
 * (`plannedAt`) and its size, so a plan that changed since the dry run is not approved
 * by mistake. A campaign that waits for approval needs a second person (two-person-rule.ts):
 * the approver must be a person, not the one who declared the incident, and for a corrections
 * campaign not one who applied the import its corrections came from.
 *
 * @returns the approval, or `'ALREADY_APPROVED'` when the campaign needed none or has one
 * @throws CampaignNotFoundError when no plan exists yet (run a dry run first)
 * @throws PlanInProgressError while the plan is still being made
 * @throws ApprovalConflictError when the plan changed since it was shown
 * @throws SamePrincipalError when the approver declared the incident
 * @throws TwoPersonRuleError when the approver (or the declarer) names no person, or applied the corrections
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
  const personRoles = deps.personRoles ?? DEFAULT_PERSON_ROLES;
  const refusal = twoPersonRefusal({
    incident,
    approver: { arn: request.approvedBy, ...(request.approverUserId !== undefined ? { userId: request.approverUserId } : {}) },
    personRoles,
  });
  if (refusal?.rule === TwoPersonRule.SAME_PERSON) throw new SamePrincipalError(incidentId);
  if (refusal) throw new TwoPersonRuleError(incidentId, refusal.rule, refusal.field, refusal.message);
  const approval: Approval = {
    approvedBy: request.approvedBy,
    approverPerson: personOf(request.approvedBy, personRoles)!,
    approvedAt: now.toISOString(),
    approvedSize: campaign.summary.toApologise,
  };
  await deps.campaigns.approve(incidentId, campaign.plannedAt, approval);
  return approval;
}
