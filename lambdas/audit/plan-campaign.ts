import {
  decideRecipient,
  groupByAddress,
  needsRecipientFacts,
  summarizePlan,
  type AddressGroup,
  type PlanSummary,
  type PlannedRecipient,
  type RecipientFacts,
} from '../domain/audit/apology-plan';
import { IncidentOrigin } from '../domain/audit/incident';
import { maskAddress } from '../domain/audit/mask-address';
import { toLocale } from '../domain/facts';
import { CampaignState, type Approval, type Campaign } from '../ports/campaigns';
import type { CampaignDeps } from './audit-deps';
import { IncidentNotFoundError } from './errors';

/** A campaign plan as a dry run reports it: counts, and a masked sample of who would be written to. */
export interface PlanReport {
  readonly incidentId: string;
  /** False while the incident's rows are still being audited: the counts may still grow. */
  readonly audited: boolean;
  readonly summary: PlanSummary;
  /** Masked addresses (`a***@example.com`) of some recipients, with their reason. */
  readonly sample: readonly { readonly address: string; readonly reason: string; readonly locale: string }[];
  /** The stored campaign's state after planning (`undefined` when not stored). */
  readonly state?: CampaignState;
  readonly plannedAt: string;
  /** True when the campaign was approved already and this is its frozen plan. */
  readonly frozen: boolean;
}

export interface PlanOptions {
  /** Campaigns larger than this wait for an operator's approval. */
  readonly approvalThreshold: number;
  /** Store the plan (the dry-run command and the scheduled run do; a report-only call does not). */
  readonly persist: boolean;
  /** How many masked recipients the report shows. @default 10 */
  readonly sampleSize?: number;
}

/**
 * Plans an incident's apology campaign from its audited rows: one line per address,
 * apologise or skip (rightly notified, opted out, suppressed, nothing to apologise for).
 * Sends nothing. Once a campaign is approved its plan is frozen and reported as it is.
 *
 * @example
 * const report = await planCampaign('inc-20250302-a1b2c3', deps, { approvalThreshold: 100, persist: true });
 */
export async function planCampaign(incidentId: string, deps: CampaignDeps, options: PlanOptions): Promise<PlanReport> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const existing = await deps.campaigns.get(incidentId);
  if (existing && existing.state !== CampaignState.AWAITING_APPROVAL) return frozenReport(existing, incident.sweep.done, deps, options);

  const members = await deps.incidents.members(incidentId);
  const recipients: PlannedRecipient[] = [];
  for (const group of groupByAddress(members)) {
    const facts = needsRecipientFacts(group) ? await recipientFacts(group, deps) : undefined;
    recipients.push(decideRecipient(group, facts));
  }
  const summary = summarizePlan(members, recipients);
  const plannedAt = deps.now().toISOString();
  let state: CampaignState | undefined;
  if (options.persist) {
    // A correction may itself be a mistake, and an apology cannot be taken back: an operator
    // confirms every campaign the audit planned from corrections, however small.
    const threshold = incident.origin === IncidentOrigin.CORRECTIONS ? 0 : options.approvalThreshold;
    const needsApproval = summary.toApologise > threshold;
    state = needsApproval ? CampaignState.AWAITING_APPROVAL : CampaignState.APPROVED;
    const approval: Approval | undefined = needsApproval
      ? undefined
      : { approvedBy: `auto (at most ${threshold} recipients)`, approvedAt: plannedAt, approvedSize: summary.toApologise };
    await deps.campaigns.savePlan(incidentId, recipients, summary, state, plannedAt, approval);
  }
  return {
    incidentId,
    audited: incident.sweep.done,
    summary,
    sample: await sample(recipients, deps, options.sampleSize ?? 10),
    state,
    plannedAt,
    frozen: false,
  };
}

async function recipientFacts(group: AddressGroup, deps: CampaignDeps): Promise<RecipientFacts> {
  const [customer, suppressed, unsubscribed] = await Promise.all([
    deps.addresses.customerByAddressHash(group.addressHash),
    deps.addresses.isSuppressed(group.addressHash),
    deps.addresses.unsubscribedFromAll(group.addressHash),
  ]);
  // A customer is written to in their language. An address we do not know has no shop opt-out,
  // only perhaps an unsubscribe of ours (by hash), and is written to in the language its notice
  // was (a send log's `locale`), else English.
  return {
    suppressed,
    optedOut: unsubscribed || (customer?.notificationsOptOut ?? false),
    locale: toLocale(customer ? customer.locale : group.noticeLocale),
  };
}

async function sample(recipients: readonly PlannedRecipient[], deps: CampaignDeps, size: number): Promise<PlanReport['sample']> {
  const out: { address: string; reason: string; locale: string }[] = [];
  for (const r of recipients) {
    if (out.length >= size) break;
    if (r.decision !== 'APOLOGISE') continue;
    const row = await deps.ledger.getRow(r.noticeId);
    out.push({ address: maskAddress(row?.recipientAddress ?? ''), reason: r.reason, locale: r.locale });
  }
  return out;
}

async function frozenReport(campaign: Campaign, audited: boolean, deps: CampaignDeps, options: PlanOptions): Promise<PlanReport> {
  const recipients: PlannedRecipient[] = [];
  let after: string | undefined;
  do {
    const page = await deps.campaigns.recipients(campaign.incidentId, after, 100);
    recipients.push(...page.recipients);
    after = page.cursor;
  } while (after && recipients.filter((r) => r.decision === 'APOLOGISE').length < (options.sampleSize ?? 10));
  return {
    incidentId: campaign.incidentId,
    audited,
    summary: campaign.summary,
    sample: await sample(recipients, deps, options.sampleSize ?? 10),
    state: campaign.state,
    plannedAt: campaign.plannedAt,
    frozen: true,
  };
}
