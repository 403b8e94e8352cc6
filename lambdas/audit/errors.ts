import { RegistryNoticesError } from '../platform/function-errors';
import { TwoPersonRule } from './campaign/two-person-rule';

/** An incident declaration broke one or more rules; `problems` lists each. */
export class InvalidIncidentError extends RegistryNoticesError {
  override name = 'InvalidIncidentError';

  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid incident: ${problems.join('; ')}`, options);
    this.problems = problems;
  }
}

/** An incident with this id was declared already. */
export class IncidentExistsError extends RegistryNoticesError {
  override name = 'IncidentExistsError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`incident ${incidentId} already exists`, options);
  }
}

/** No incident has this id. */
export class IncidentNotFoundError extends RegistryNoticesError {
  override name = 'IncidentNotFoundError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`no incident ${incidentId}`, options);
  }
}

/** No campaign was planned for this incident yet (run a dry run first). */
export class CampaignNotFoundError extends RegistryNoticesError {
  override name = 'CampaignNotFoundError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`no campaign planned for incident ${incidentId}: run a dry run first`, options);
  }
}

/** The campaign was approved already: its plan can no longer change. */
export class CampaignFrozenError extends RegistryNoticesError {
  override name = 'CampaignFrozenError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} is approved: its plan is frozen`, options);
  }
}

/** The plan changed since the operator looked at it, or it was approved already. */
export class ApprovalConflictError extends RegistryNoticesError {
  override name = 'ApprovalConflictError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} changed or was approved since its plan was shown: run the dry run again`, options);
  }
}

/** The campaign's plan is still being made (page by page): it cannot be approved or run yet. */
export class PlanInProgressError extends RegistryNoticesError {
  override name = 'PlanInProgressError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the plan of incident ${incidentId} is still being made: campaign dry-run ${incidentId} finishes it`, options);
  }
}

/** The campaign is larger than the approval threshold and nobody approved it yet. */
export class CampaignAwaitingApprovalError extends RegistryNoticesError {
  override name = 'CampaignAwaitingApprovalError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} waits for approval: campaign approve ${incidentId}`, options);
  }
}

/**
 * The two-person rule refused an approval (`campaign/two-person-rule.ts`): `rule` names which,
 * `field` what it is about (`caller`, `incident.declaredBy`).
 */
export class TwoPersonRuleError extends RegistryNoticesError {
  override name = 'TwoPersonRuleError';

  constructor(
    incidentId: string,
    readonly rule: TwoPersonRule,
    readonly field: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`the campaign of incident ${incidentId} cannot be approved by this caller (${rule}): ${reason}`, options);
  }
}

/**
 * Two-person rule: the person who declared the incident may not also approve its campaign.
 */
export class SamePrincipalError extends TwoPersonRuleError {
  override name = 'SamePrincipalError';

  constructor(incidentId: string, options?: ErrorOptions) {
    super(
      incidentId,
      TwoPersonRule.SAME_PERSON,
      'caller',
      'it waits for approval and needs a second person, and the person who declared the incident may not approve it',
      options,
    );
  }
}
