import { RegistryNoticesError } from '../platform/function-errors';

/** An incident declaration broke one or more rules; `problems` lists each. */
export class InvalidIncidentError extends RegistryNoticesError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid incident: ${problems.join('; ')}`, options);
    this.name = 'InvalidIncidentError';
    this.problems = problems;
  }
}

/** An incident with this id was declared already. */
export class IncidentExistsError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`incident ${incidentId} already exists`, options);
    this.name = 'IncidentExistsError';
  }
}

/** No incident has this id. */
export class IncidentNotFoundError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`no incident ${incidentId}`, options);
    this.name = 'IncidentNotFoundError';
  }
}

/** No campaign was planned for this incident yet (run a dry run first). */
export class CampaignNotFoundError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`no campaign planned for incident ${incidentId}: run a dry run first`, options);
    this.name = 'CampaignNotFoundError';
  }
}

/** The campaign was approved already: its plan can no longer change. */
export class CampaignFrozenError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} is approved: its plan is frozen`, options);
    this.name = 'CampaignFrozenError';
  }
}

/** The plan changed since the operator looked at it, or it was approved already. */
export class ApprovalConflictError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} changed or was approved since its plan was shown: run the dry run again`, options);
    this.name = 'ApprovalConflictError';
  }
}

/** The campaign's plan is still being made (page by page): it cannot be approved or run yet. */
export class PlanInProgressError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the plan of incident ${incidentId} is still being made: campaign dry-run ${incidentId} finishes it`, options);
    this.name = 'PlanInProgressError';
  }
}

/** The campaign is larger than the approval threshold and nobody approved it yet. */
export class CampaignAwaitingApprovalError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(`the campaign of incident ${incidentId} waits for approval: campaign approve ${incidentId}`, options);
    this.name = 'CampaignAwaitingApprovalError';
  }
}

/**
 * Two-person rule: above the approval threshold, the principal who declared the incident
 * may not also approve its campaign.
 */
export class SamePrincipalError extends RegistryNoticesError {
  constructor(incidentId: string, options?: ErrorOptions) {
    super(
      `the campaign of incident ${incidentId} is above the approval threshold: it needs a second person, ` +
        'and the principal who declared the incident may not approve it',
      options,
    );
    this.name = 'SamePrincipalError';
  }
}
