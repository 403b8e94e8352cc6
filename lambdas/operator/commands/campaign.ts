import * as z from 'zod/mini';
import { approveCampaign } from '../../audit/approve-campaign';
import { campaignStatus } from '../../audit/campaign-status';
import { dryRunCampaign } from '../../audit/dry-run-campaign';
import { runCampaign } from '../../audit/run-campaign';
import { defineOperatorCommand } from '../operator-command';
import { contractObject } from '../../domain/contract-schema';
import { incidentIdField, integerField, stringField } from './fields';

/** `campaign dry-run`: audits the incident to the end and plans its campaign; sends nothing. */
export const campaignDryRunCommand = defineOperatorCommand({
  name: 'campaign dry-run',
  summary: 'audit the incident, plan its apologies (counts, masked sample); sends nothing',
  request: contractObject({ incidentId: incidentIdField }, '"campaign dry-run"'),
  run: async ({ incidentId }, { deps }) => {
    const { approvalThreshold } = deps.run.settings;
    return { ...(await dryRunCampaign(incidentId, deps.run, { approvalThreshold })), approvalThreshold };
  },
});

/**
 * `campaign approve`: the caller (by IAM ARN) approves the plan the dry run showed (`plan` =
 * its `plannedAt` pins it). Above the threshold the declarer may not approve (403).
 */
export const campaignApproveCommand = defineOperatorCommand({
  name: 'campaign approve',
  summary: 'approve the plan the dry run showed, as the calling IAM principal (two-person rule above the threshold)',
  request: contractObject({ incidentId: incidentIdField, plan: z.optional(stringField()) }, '"campaign approve"'),
  run: async ({ incidentId, plan }, { deps, caller }) => {
    const { campaigns, incidents, settings } = deps.run;
    const result = await approveCampaign(
      incidentId,
      { approvedBy: caller.arn, ...(plan !== undefined ? { plannedAt: plan } : {}) },
      { campaigns, incidents, approvalThreshold: settings.approvalThreshold },
      deps.run.now(),
    );
    return result === 'ALREADY_APPROVED' ? { outcome: 'ALREADY_APPROVED' as const } : { outcome: 'APPROVED' as const, approval: result };
  },
});

/** Longest a `campaign run` request may ask to run; the function's own timeout bounds it too. */
export const MAX_RUN_SECONDS = 840;

/**
 * `campaign run`: sends the approved apologies now, in this invocation, for at most
 * `maxSeconds` (and never past the function's timeout); call again until `state` is COMPLETE.
 */
export const campaignRunCommand = defineOperatorCommand({
  name: 'campaign run',
  summary: 'send the approved apologies now, for at most maxSeconds; call again until COMPLETE',
  request: contractObject({ incidentId: incidentIdField, maxSeconds: z.optional(integerField(1, MAX_RUN_SECONDS)) }, '"campaign run"'),
  run: ({ incidentId, maxSeconds }, { deps, remainingMs, reportRun }) => {
    // The run stops `safetyMarginMs` before what it is told is left: tell it the budget plus that margin.
    const until = Date.now() + (maxSeconds ?? MAX_RUN_SECONDS) * 1000 + deps.run.settings.safetyMarginMs;
    return runCampaign(incidentId, deps.run, () => Math.min(remainingMs(), until - Date.now()), reportRun);
  },
});

/** `campaign status`: the incident, its campaign's state and approval record, apologies by outcome. */
export const campaignStatusCommand = defineOperatorCommand({
  name: 'campaign status',
  summary: "an incident's campaign: state, approval, apologies by outcome",
  request: contractObject({ incidentId: incidentIdField }, '"campaign status"'),
  run: ({ incidentId }, { deps }) => campaignStatus(incidentId, deps.run),
});
