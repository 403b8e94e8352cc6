import * as z from 'zod/mini';
import { approveCampaign } from '../../audit/campaign/approve-campaign';
import { campaignStatus } from '../../audit/campaign/campaign-status';
import { dryRunCampaign } from '../../audit/campaign/dry-run-campaign';
import { runCampaign } from '../../audit/campaign/run-campaign';
import { defineOperatorCommand } from '../operator-command';
import { contractObject } from '../../platform/contract-schema';
import { incidentIdField, integerField, stringField } from './fields';

/** Longest one request of a command that works in slices (dry run, run) may take; the function's own timeout bounds it too. */
export const MAX_RUN_SECONDS = 840;

/** The time one request may use: at most `maxSeconds`, and never past the function's timeout (less the run's margin). */
function sliceOf(maxSeconds: number | undefined, remainingMs: () => number, safetyMarginMs: number): () => number {
  // The run stops `safetyMarginMs` before what it is told is left: tell it the budget plus that margin.
  const until = Date.now() + (maxSeconds ?? MAX_RUN_SECONDS) * 1000 + safetyMarginMs;
  return () => Math.min(remainingMs(), until - Date.now());
}

/**
 * `campaign dry-run`: audits the incident and plans its campaign, page by page, for at most
 * `maxSeconds`; sends nothing. Call again with `plan` (the answer's `plannedAt`) until `done`.
 */
export const campaignDryRunCommand = defineOperatorCommand({
  name: 'campaign dry-run',
  request: contractObject(
    { incidentId: incidentIdField, plan: z.optional(stringField()), maxSeconds: z.optional(integerField(1, MAX_RUN_SECONDS)) },
    '"campaign dry-run"',
  ),
  run: async ({ incidentId, plan, maxSeconds }, { deps, remainingMs }) => {
    const { approvalThreshold, personRoles, safetyMarginMs } = deps.run.settings;
    const left = sliceOf(maxSeconds, remainingMs, safetyMarginMs);
    const report = await dryRunCampaign(incidentId, deps.run, {
      approvalThreshold,
      personRoles,
      hasTime: () => left() > safetyMarginMs,
      ...(plan !== undefined ? { plannedAt: plan } : {}),
    });
    return { ...report, approvalThreshold };
  },
});

/**
 * `campaign approve`: the caller (by IAM ARN) approves the plan the dry run showed (`plan` =
 * its `plannedAt` pins it). The two-person rule (lambdas/audit/campaign/two-person-rule.ts):
 * the caller must be a person, not the declarer, and for corrections not who applied them (403).
 */
export const campaignApproveCommand = defineOperatorCommand({
  name: 'campaign approve',
  request: contractObject({ incidentId: incidentIdField, plan: z.optional(stringField()) }, '"campaign approve"'),
  run: async ({ incidentId, plan }, { deps, caller }) => {
    const { campaigns, incidents, settings } = deps.run;
    const result = await approveCampaign(
      incidentId,
      { approvedBy: caller.arn, approverUserId: caller.userId, ...(plan !== undefined ? { plannedAt: plan } : {}) },
      { campaigns, incidents, approvalThreshold: settings.approvalThreshold, personRoles: settings.personRoles },
      deps.run.now(),
    );
    return result === 'ALREADY_APPROVED' ? { outcome: 'ALREADY_APPROVED' as const } : { outcome: 'APPROVED' as const, approval: result };
  },
});

/**
 * `campaign run`: puts the approved campaign's recipients on the apology queue now, in this
 * invocation, for at most `maxSeconds`; the apology sender sends them. Answers the progress
 * (counters, enqueued, allowed rate, ETA); call again until `enqueue.done`, then watch `campaign status`.
 */
export const campaignRunCommand = defineOperatorCommand({
  name: 'campaign run',
  request: contractObject({ incidentId: incidentIdField, maxSeconds: z.optional(integerField(1, MAX_RUN_SECONDS)) }, '"campaign run"'),
  run: ({ incidentId, maxSeconds }, { deps, remainingMs, reportRun }) =>
    runCampaign(incidentId, deps.run, sliceOf(maxSeconds, remainingMs, deps.run.settings.safetyMarginMs), reportRun),
});

/** `campaign status`: the incident, its campaign's state, approval record and progress from the counters. */
export const campaignStatusCommand = defineOperatorCommand({
  name: 'campaign status',
  request: contractObject({ incidentId: incidentIdField }, '"campaign status"'),
  run: ({ incidentId }, { deps }) => campaignStatus(incidentId, deps.run),
});
