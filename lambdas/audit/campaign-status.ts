import type { Campaign, CampaignStore } from '../ports/campaigns';
import type { IncidentStore, StoredIncident } from '../ports/incidents';
import { IncidentNotFoundError } from './errors';

/** An incident, its campaign (if planned) and the campaign's claims by state. */
export interface CampaignStatus {
  readonly incident: StoredIncident;
  readonly campaign?: Campaign;
  readonly claims: Readonly<Record<string, number>>;
}

/**
 * Where an incident's campaign stands: state, approval record, apologies by outcome.
 *
 * @throws IncidentNotFoundError when no incident has this id
 * @example
 * const { campaign, claims } = await campaignStatus('inc-…', deps);
 */
export async function campaignStatus(
  incidentId: string,
  deps: { readonly incidents: IncidentStore; readonly campaigns: CampaignStore },
): Promise<CampaignStatus> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const campaign = await deps.campaigns.get(incidentId);
  return { incident, ...(campaign ? { campaign } : {}), claims: campaign ? await deps.campaigns.claimCounts(incidentId) : {} };
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
