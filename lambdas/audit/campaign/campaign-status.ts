import type { Campaign, CampaignStore } from '../ports/campaigns';
import type { IncidentStore, StoredIncident } from '../ports/incidents';
import type { RunDeps } from '../audit-deps';
import { campaignProgress, type CampaignProgressReport } from './run-campaign';
import { IncidentNotFoundError } from '../errors';

/** An incident, its campaign (if planned) and the campaign's progress from its counters. */
export interface CampaignStatus {
  readonly incident: StoredIncident;
  readonly campaign?: Campaign;
  /** Settled apologies by state (the counters), cumulative. */
  readonly claims: Readonly<Record<string, number>>;
  readonly progress?: CampaignProgressReport;
}

/**
 * Where an incident's campaign stands: state, approval record, plan and enqueue progress,
 * apologies by outcome (from the counters), the allowed rate and an ETA. Closes a campaign
 * whose apologies are all settled.
 *
 * @throws IncidentNotFoundError when no incident has this id
 * @example
 * const { campaign, claims } = await campaignStatus('inc-…', deps);
 */
export async function campaignStatus(
  incidentId: string,
  deps: Pick<RunDeps, 'incidents' | 'campaigns' | 'quota' | 'settings' | 'now'>,
): Promise<CampaignStatus> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  if (!(await deps.campaigns.get(incidentId))) return { incident, claims: {} };
  const progress = await campaignProgress(incidentId, deps);
  const campaign = await deps.campaigns.get(incidentId);
  return { incident, ...(campaign ? { campaign } : {}), claims: progress.claims, progress };
}

/** One line of {@link listIncidents}. */
export interface IncidentListing {
  readonly incident: StoredIncident;
  readonly campaign?: Pick<Campaign, 'state' | 'summary'>;
}

/**
 * Every declared incident, oldest first, with its campaign's state and size if planned.
 *
 * @example
 * (await listIncidents(deps)).map((i) => i.incident.incidentId)
 */
export async function listIncidents(deps: { readonly incidents: IncidentStore; readonly campaigns: CampaignStore }): Promise<IncidentListing[]> {
  const incidents = await deps.incidents.list();
  const listings: IncidentListing[] = [];
  for (const incident of incidents) {
    const campaign = await deps.campaigns.get(incident.incidentId);
    listings.push({ incident, ...(campaign ? { campaign: { state: campaign.state, summary: campaign.summary } } : {}) });
  }
  return listings;
}
