import {
  countMembers,
  countHeldElsewhere,
  countRecipients,
  foldMembers,
  type AddressGroup,
  type PlanCounts,
  type PlanSummary,
  type RecipientFacts,
} from './apology-plan';
import { maskAddress } from '../../directory/mask-address';
import { toLocale } from '../../directory/facts';
import { CampaignState, type Approval, type Campaign, type PlanProgress } from '../ports/campaigns';
import type { CampaignDeps } from '../audit-deps';
import { IncidentNotFoundError } from '../errors';
import type { StoredIncident } from '../ports/incidents';
import { DEFAULT_PERSON_ROLES, declarerKeyOf, type PersonRoles } from '../person';
import { ApprovalNeed, approvalNeedsOf } from './approval-need';
import { isStranger } from './strangers';
import { decideAcrossIncidents } from './one-apology-per-notice';

/** A campaign plan as a dry run reports it: counts, progress, and a masked sample of who would be written to. */
export interface PlanReport {
  readonly incidentId: string;
  /** False while the incident's rows are still being audited: the counts may still grow. */
  readonly audited: boolean;
  /** The plan's counts (so far, while `done` is false). */
  readonly summary: PlanSummary;
  /** Masked addresses (`a***@example.com`) of some recipients, with their reason (once the plan is done). */
  readonly sample: readonly { readonly address: string; readonly reason: string; readonly locale: string }[];
  /** The stored campaign's state (`undefined` before a plan was started). */
  readonly state?: CampaignState;
  /** Names the plan: pass it to continue it, or to approve what was shown. */
  readonly plannedAt: string;
  /** True when the campaign was approved already and this is its frozen plan. */
  readonly frozen: boolean;
  /** True once every row was folded and every address decided. */
  readonly done: boolean;
  /** Where the plan is: rows folded of about how many, addresses decided of how many. */
  readonly progress?: PlanProgress;
  /** True when this call finished the plan (a scheduled run then raises the approval alarm). */
  readonly finishedNow: boolean;
}

export interface PlanOptions {
  /** Campaigns larger than this wait for an operator's approval, and so do a declarer's of one day together. */
  readonly approvalThreshold: number;
  /** Roles whose sessions name a person: whose day a declarer's automatic approvals count on. @default DEFAULT_PERSON_ROLES */
  readonly personRoles?: PersonRoles;
  /** Checked before each page: false stops this call, and the next one resumes from the saved cursor. */
  readonly hasTime: () => boolean;
  /** Start a new plan even when a finished one waits for approval (a dry run again replaces it). @default false */
  readonly restart?: boolean;
  /** Rows or addresses per page. @default 100 */
  readonly pageSize?: number;
  /** How many masked recipients the report shows. @default 10 */
  readonly sampleSize?: number;
}

/**
 * Plans an incident's apology campaign from its audited rows, page by page, never holding
 * the incident in memory: first each page of rows is folded into one keyed item per address
 * (`TO#<addressHash>`, conditional writes, so a page done twice after a crash changes
 * nothing), then each page of those items is decided, apologise or skip (rightly notified,
 * opted out, suppressed, nothing to apologise for). The cursor and the counts so far are saved
 * together after each page; a call that runs out of time stops, and the next one resumes.
 * Sends nothing. Once a campaign is approved its plan is frozen and reported as it is.
 *
 * @example
 * const report = await planCampaign('inc-20250302-a1b2c3', deps, { approvalThreshold: 100, hasTime: () => true });
 */
export async function planCampaign(incidentId: string, deps: CampaignDeps, options: PlanOptions): Promise<PlanReport> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  let campaign = await deps.campaigns.get(incidentId);
  const report = (c: Campaign, finishedNow = false): Promise<PlanReport> => planReport(c, incident.sweep.done, deps, options.sampleSize ?? 10, finishedNow);
  if (campaign && campaign.state !== CampaignState.PLANNING && campaign.state !== CampaignState.AWAITING_APPROVAL) return report(campaign);
  if (campaign?.state === CampaignState.AWAITING_APPROVAL && !options.restart) return report(campaign);
  if (!campaign || campaign.state === CampaignState.AWAITING_APPROVAL) {
    await deps.campaigns.startPlan(incidentId, deps.now().toISOString(), incident.sweep.rows ?? 0);
    campaign = (await deps.campaigns.get(incidentId))!;
  }

  const pageSize = options.pageSize ?? 100;
  while (campaign.state === CampaignState.PLANNING && options.hasTime()) {
    const progress = campaign.planning!;
    if (progress.phase === 'DONE') {
      await finish(campaign, incident, options, deps);
      return report((await deps.campaigns.get(incidentId))!, true);
    }
    const next = progress.phase === 'ROWS' ? await foldRowsPage(campaign, progress, pageSize, deps) : await decidePage(campaign, progress, pageSize, deps);
    // False: another planner saved this page first, or a new plan began; either way, read again.
    await deps.campaigns.savePlanProgress(incidentId, campaign.plannedAt, next);
    campaign = (await deps.campaigns.get(incidentId))!;
  }
  return report(campaign);
}

async function foldRowsPage(campaign: Campaign, progress: PlanProgress, pageSize: number, deps: CampaignDeps): Promise<PlanProgress> {
  const page = await deps.incidents.memberPage(campaign.incidentId, progress.cursor, pageSize);
  const made = await deps.campaigns.foldAddresses(campaign.incidentId, campaign.plannedAt, progress.page, foldMembers(page.members));
  return {
    ...progress,
    page: progress.page + 1,
    phase: page.cursor ? 'ROWS' : 'DECIDE',
    cursor: page.cursor,
    rowsRead: progress.rowsRead + page.members.length,
    addresses: progress.addresses + made,
    counts: countMembers(copyCounts(progress.counts), page.members),
  };
}

async function decidePage(campaign: Campaign, progress: PlanProgress, pageSize: number, deps: CampaignDeps): Promise<PlanProgress> {
  const page = await deps.campaigns.addresses(campaign.incidentId, progress.cursor, pageSize);
  const mine = page.addresses.filter((a) => a.planId === campaign.plannedAt);
  const staleFolds = page.addresses.filter((a) => a.planId !== campaign.plannedAt);
  const stale = staleFolds.map((a) => a.key);
  // One apology per notice: notices another incident holds are not apologised for here (one-apology-per-notice.ts).
  const { recipients, groups, heldElsewhere } = await decideAcrossIncidents(campaign.incidentId, mine, staleFolds, deps, (group) => recipientFacts(group, deps));
  // Strangers only an import names make the campaign wait for a second person (strangers.ts).
  const strangers = (await Promise.all(recipients.map((r) => r.decision === 'APOLOGISE' && isStranger(r, deps)))).filter(Boolean).length;
  await deps.campaigns.decide(campaign.incidentId, campaign.plannedAt, recipients, stale);
  return {
    ...progress,
    page: progress.page + 1,
    phase: page.cursor ? 'DECIDE' : 'DONE',
    cursor: page.cursor,
    addressesDecided: progress.addressesDecided + recipients.length,
    counts: countHeldElsewhere(withStrangers(countRecipients(copyCounts(progress.counts), recipients), strangers), groups, heldElsewhere),
  };
}

/**
 * Ends the plan: approved by itself when nothing needs a person (approval-need.ts), the
 * threshold counted over the declarer's automatic approvals of the day, so an incident split
 * into campaigns of at most the threshold gets no further than one.
 */
async function finish(campaign: Campaign, incident: StoredIncident, options: PlanOptions, deps: CampaignDeps): Promise<void> {
  const threshold = options.approvalThreshold;
  const counts = campaign.planning!.counts;
  const needs = approvalNeedsOf(counts, incident.origin, threshold);
  if (needs.length === 0 && counts.toApologise > 0) {
    const declarer = declarerKeyOf(incident.declaredBy, options.personRoles ?? DEFAULT_PERSON_ROLES);
    const day = deps.now().toISOString().slice(0, 10);
    if (!(await deps.autoApprovals.reserve(declarer, day, incident.incidentId, counts.toApologise, threshold))) needs.push(ApprovalNeed.DECLARER_DAILY_LIMIT);
  }
  const summary = needs.length > 0 ? { ...counts, approvalNeeded: needs } : counts;
  const approval: Approval | undefined =
    needs.length > 0
      ? undefined
      : { approvedBy: `auto (at most ${threshold} recipients)`, approvedAt: deps.now().toISOString(), approvedSize: counts.toApologise };
  await deps.campaigns.finishPlan(campaign.incidentId, campaign.plannedAt, summary, needs.length > 0 ? CampaignState.AWAITING_APPROVAL : CampaignState.APPROVED, approval);
}

function withStrangers(counts: PlanCounts, strangers: number): PlanCounts {
  if (strangers > 0) counts.strangers = (counts.strangers ?? 0) + strangers;
  return counts;
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

/** Pages of recipients read at most for a sample: a sample is a glance, not a scan. */
const SAMPLE_PAGES = 5;

async function planReport(campaign: Campaign, audited: boolean, deps: CampaignDeps, sampleSize: number, finishedNow: boolean): Promise<PlanReport> {
  const done = campaign.state !== CampaignState.PLANNING;
  const sample: { address: string; reason: string; locale: string }[] = [];
  let after: string | undefined;
  for (let pages = 0; done && sample.length < sampleSize && pages < SAMPLE_PAGES; pages += 1) {
    const page = await deps.campaigns.recipients(campaign.incidentId, after, 100);
    for (const r of page.recipients) {
      if (sample.length >= sampleSize) break;
      if (r.decision !== 'APOLOGISE') continue;
      const row = await deps.ledger.getRow(r.noticeId);
      sample.push({ address: maskAddress(row?.recipientAddress ?? ''), reason: r.reason, locale: r.locale });
    }
    if (!page.cursor) break;
    after = page.cursor;
  }
  return {
    incidentId: campaign.incidentId,
    audited,
    summary: campaign.summary,
    sample,
    state: campaign.state,
    plannedAt: campaign.plannedAt,
    frozen: !finishedNow && (campaign.state === CampaignState.APPROVED || campaign.state === CampaignState.COMPLETE),
    done,
    ...(campaign.planning ? { progress: campaign.planning } : {}),
    finishedNow,
  };
}

function copyCounts(c: PlanSummary | PlanCounts): PlanCounts {
  return {
    wrongNotices: { ...c.wrongNotices },
    toApologise: c.toApologise,
    toApologiseByReason: { ...c.toApologiseByReason },
    ...(c.strangers !== undefined ? { strangers: c.strangers } : {}),
    skipped: { ...c.skipped },
    rows: c.rows,
    ...(c.alreadyApologisedIn ? { alreadyApologisedIn: { ...c.alreadyApologisedIn } } : {}),
  };
}
