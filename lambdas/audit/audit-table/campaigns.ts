import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ResendState, SETTLED_BY_RESEND, type Resend } from '../../notices/ledger-entry';
import type { MailEvents } from '../../mail/mail-fate';
import { emptyPlanCounts, type AddressFold, type PlanSummary, type PlannedRecipient, type SkipReason, type WrongNotice } from '../campaign/apology-plan';
import type { AuditReason } from '../audit-reasons';
import { toLocale } from '../../directory/facts';
import { ApprovalConflictError, CampaignFrozenError } from '../errors';
import {
  ApologyState,
  CampaignState,
  type AddressPage,
  type ApologyClaim,
  type ApologyOutcome,
  type ApologySendStore,
  type Approval,
  type ClaimAttempt,
  type Campaign,
  type CampaignStore,
  type EnqueueProgress,
  type PlanProgress,
  type RecipientPage,
} from '../ports/campaigns';
import { AuditKeys, type IncidentLayout } from './keys';
import { IncidentLayouts, incidentPage } from './incident-layouts';
import { batchWriteAll } from '../../platform/dynamodb/document';
import { SES_EVENTS_ATTRIBUTE } from '../../notices/ledger-table/mail-events';
import { conditionalWrite, conditionHeld, fromAttributes, stripUndefined } from '../../platform/dynamodb/helpers';

type Item = Record<string, unknown>;


/**
 * Campaigns in the audit table: `CAMPAIGN` under the incident's partition (state, plan
 * progress or summary, approval record, enqueue progress), and in its shard partitions
 * (keys.ts: by address hash) `TO#<addressHash>` (one item per address: the fold of its rows,
 * then the decision), `APOLOGY#<addressHash>` (the claims), `COUNT` (settled claims by state,
 * one per shard; `COUNT#<0-f>` under `INC#<id>` for an incident declared before the shards).
 * A claim is a put conditional on its key, so one address gets at most one apology per
 * incident whatever runs overlap; a settle and its count are one transaction.
 */
export class DynamoDbCampaigns implements CampaignStore {
  readonly #layouts: IncidentLayouts;

  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {
    this.#layouts = new IncidentLayouts(client, tableName);
  }

  /** The incident's key layout (cached): for {@link DynamoDbApologySends}' writes too. */
  protected layoutOf(incidentId: string): Promise<IncidentLayout> {
    return this.#layouts.of(incidentId);
  }

  async get(incidentId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.campaign(incidentId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      incidentId,
      state: Item.state as CampaignState,
      plannedAt: String(Item.plannedAt),
      summary: (Item.summary ?? (Item.planning as PlanProgress | undefined)?.counts ?? emptyPlanCounts()) as PlanSummary,
      ...(Item.planning ? { planning: Item.planning as PlanProgress } : {}),
      ...(Item.approval ? { approval: Item.approval as Approval } : {}),
      ...(Item.enqueue ? { enqueue: Item.enqueue as EnqueueProgress } : {}),
      ...(typeof Item.completedAt === 'string' ? { completedAt: Item.completedAt } : {}),
    };
  }

  async startPlan(incidentId: string, plannedAt: string, rowsTotal: number): Promise<void> {
    const planning: PlanProgress = { phase: 'ROWS', page: 0, rowsRead: 0, rowsTotal, addresses: 0, addressesDecided: 0, counts: emptyPlanCounts() };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...AuditKeys.campaign(incidentId), incidentId, state: CampaignState.PLANNING, plannedAt, planning },
          // A plan waiting for approval may be replaced (a dry run again); an approved one never.
          ConditionExpression: 'attribute_not_exists(pk) OR #state = :awaiting',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':awaiting': CampaignState.AWAITING_APPROVAL },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new CampaignFrozenError(incidentId, { cause: error });
      throw error;
    }
  }

  async foldAddresses(incidentId: string, plannedAt: string, page: number, folds: readonly AddressFold[]): Promise<number> {
    const layout = await this.#layouts.of(incidentId);
    const made = await Promise.all(folds.map((fold) => this.#fold(incidentId, layout, plannedAt, page, fold)));
    return made.filter(Boolean).length;
  }

  // One address's rows of this page merged into its item: `if_not_exists` keeps what earlier
  // pages saw first, `ADD` unites the reasons and the wrong notices. Doing a page again (after a
  // crash) changes nothing.
  async #fold(incidentId: string, layout: IncidentLayout, plannedAt: string, page: number, fold: AddressFold): Promise<boolean> {
    const key = AuditKeys.recipient(incidentId, fold.addressHash, layout);
    const set = [
      'planId = :plan',
      'addressHash = :hash',
      'firstPage = if_not_exists(firstPage, :page)',
      'firstNoticeId = if_not_exists(firstNoticeId, :first)',
      // The page its list of wrong notices starts on: the item's first page unless folding began before lists were kept.
      'listedFrom = if_not_exists(listedFrom, :page)',
    ];
    const values: Item = { ':plan': plannedAt, ':hash': fold.addressHash, ':page': page, ':first': fold.firstNoticeId };
    if (fold.firstLocale) {
      set.push('firstLocale = if_not_exists(firstLocale, :locale)');
      values[':locale'] = fold.firstLocale;
    }
    if (fold.firstWrong) {
      set.push('firstWrong = if_not_exists(firstWrong, :wrong)');
      values[':wrong'] = fold.firstWrong;
    }
    if (fold.rightlyNotified) {
      set.push('rightlyNotified = :true');
      values[':true'] = true;
    }
    const adds: string[] = [];
    if (fold.reasons.length > 0) {
      adds.push('reasons :reasons');
      values[':reasons'] = new Set(fold.reasons);
    }
    const listed = fold.wrongNotices.map((n) => `${n.reason} ${n.noticeId}`);
    // `list`: add this page's wrong notices, while the list is under its cap (an item holds 400 KB);
    // `full`: the list is at its cap, so the item says it is incomplete instead; `none`: nothing to list.
    const update = (mode: 'list' | 'full' | 'none'): Promise<{ Attributes?: Item }> =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${[...set, ...(mode === 'full' ? ['wrongOverflow = :overflow'] : [])].join(', ')}${listAdd(adds, mode === 'list' ? listed : [])}`,
          ConditionExpression: `(attribute_not_exists(pk) OR planId = :plan)${mode === 'list' ? ' AND (attribute_not_exists(wrongNotices) OR size(wrongNotices) < :cap)' : ''}`,
          ExpressionAttributeValues: {
            ...values,
            ...(mode === 'list' ? { ':notices': new Set(listed), ':cap': MAX_LISTED_WRONG_NOTICES } : {}),
            ...(mode === 'full' ? { ':overflow': true } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    const mode = listed.length > 0 ? 'list' : 'none';
    let out: { Attributes?: Item };
    const first = await updateOrExisting(update(mode));
    if ('item' in first) out = first.item;
    else if (mode === 'list' && first.existing?.planId === plannedAt) {
      // This plan's item, its list full.
      out = await update('full');
    } else {
      // An item of an older plan: start it afresh for this one.
      await conditionHeld(
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, planId: plannedAt },
            ConditionExpression: 'attribute_not_exists(planId) OR planId <> :plan',
            ExpressionAttributeValues: { ':plan': plannedAt },
          }),
        ),
      );
      out = await update(mode);
    }
    return Number(out.Attributes?.firstPage) === page;
  }

  async addresses(incidentId: string, after: string | undefined, limit: number): Promise<AddressPage> {
    const out = await this.#page(incidentId, 'TO#', after, limit);
    const addresses = out.items.map((i) => ({
      key: String(i.sk),
      planId: String(i.planId),
      addressHash: String(i.addressHash ?? String(i.sk).slice(3)),
      reasons: [...((i.reasons as Set<string> | undefined) ?? [])] as AuditReason[],
      rightlyNotified: i.rightlyNotified === true,
      ...(i.firstWrong ? { firstWrong: i.firstWrong as AddressFold['firstWrong'] } : {}),
      firstNoticeId: String(i.firstNoticeId ?? i.noticeId ?? ''),
      ...(typeof i.firstLocale === 'string' ? { firstLocale: i.firstLocale } : {}),
      wrongNotices: [...((i.wrongNotices as Set<string> | undefined) ?? [])].map(parseListed),
      // Complete when listed from the item's first page on, and never past the cap.
      wrongNoticesComplete: i.listedFrom !== undefined && Number(i.listedFrom) === Number(i.firstPage) && i.wrongOverflow !== true,
    }));
    return { addresses, cursor: out.cursor };
  }

  async decide(incidentId: string, plannedAt: string, recipients: readonly PlannedRecipient[], stale: readonly string[]): Promise<void> {
    const layout = await this.#layouts.of(incidentId);
    await Promise.all(
      recipients.map((r) => {
        const values: Item = { ':plan': plannedAt, ':decision': r.decision, ':notice': r.noticeId };
        let set = '#decision = :decision, noticeId = :notice';
        if (r.decision === 'APOLOGISE') {
          set += ', #reason = :reason, #locale = :locale REMOVE #skip';
          values[':reason'] = r.reason;
          values[':locale'] = r.locale;
        } else {
          set += ', #skip = :skip REMOVE #reason, #locale';
          values[':skip'] = r.skip;
        }
        return this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: AuditKeys.recipient(incidentId, r.addressHash, layout),
            UpdateExpression: `SET ${set}`,
            ConditionExpression: 'planId = :plan',
            ExpressionAttributeNames: { '#decision': 'decision', '#reason': 'reason', '#locale': 'locale', '#skip': 'skip' },
            ExpressionAttributeValues: values,
          }),
        );
      }),
    );
    await batchWriteAll(
      this.client,
      this.tableName,
      // A stale item's key is `TO#<addressHash>`: its partition follows from the hash.
      stale.map((sk) => ({ DeleteRequest: { Key: AuditKeys.recipient(incidentId, sk.slice('TO#'.length), layout) } })),
    );
  }

  savePlanProgress(incidentId: string, plannedAt: string, progress: PlanProgress): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET planning = :progress',
          ConditionExpression: '#state = :planning AND plannedAt = :plan AND planning.#page = :before',
          ExpressionAttributeNames: { '#state': 'state', '#page': 'page' },
          ExpressionAttributeValues: {
            ':progress': stripUndefined(progress),
            ':planning': CampaignState.PLANNING,
            ':plan': plannedAt,
            ':before': progress.page - 1,
          },
        }),
      ),
    );
  }

  finishPlan(incidentId: string, plannedAt: string, summary: PlanSummary, state: CampaignState, approval?: Approval): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: `SET #state = :state, summary = :summary, planning.phase = :done${approval ? ', approval = :approval' : ''}`,
          ConditionExpression: '#state = :planning AND plannedAt = :plan',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':state': state,
            ':summary': summary,
            ':done': 'DONE',
            ':planning': CampaignState.PLANNING,
            ':plan': plannedAt,
            ...(approval ? { ':approval': approval } : {}),
          },
        }),
      ),
    );
  }

  async approve(incidentId: string, plannedAt: string, approval: Approval): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET #state = :approved, approval = :approval',
          ConditionExpression: '#state = :awaiting AND plannedAt = :plannedAt AND summary.toApologise = :size',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':approved': CampaignState.APPROVED,
            ':awaiting': CampaignState.AWAITING_APPROVAL,
            ':approval': approval,
            ':plannedAt': plannedAt,
            ':size': approval.approvedSize,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ApprovalConflictError(incidentId, { cause: error });
      throw error;
    }
  }

  async recipients(incidentId: string, after: string | undefined, limit: number): Promise<RecipientPage> {
    const out = await this.#page(incidentId, 'TO#', after, limit);
    const recipients = out.items
      .filter((i) => typeof i.decision === 'string')
      .map((i) => {
        const base = { key: String(i.sk), addressHash: String(i.addressHash), noticeId: String(i.noticeId) };
        return i.decision === 'APOLOGISE'
          ? { ...base, decision: 'APOLOGISE' as const, reason: i.reason as AuditReason, locale: toLocale(String(i.locale)) }
          : { ...base, decision: 'SKIP' as const, skip: i.skip as SkipReason };
      });
    return { recipients, cursor: out.cursor };
  }

  saveEnqueue(incidentId: string, from: EnqueueProgress | undefined, to: EnqueueProgress): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET enqueue = :to',
          ConditionExpression: from ? 'enqueue.enqueued = :from AND enqueue.done = :false' : 'attribute_not_exists(enqueue)',
          ExpressionAttributeValues: { ':to': stripUndefined(to), ...(from ? { ':from': from.enqueued, ':false': false } : {}) },
        }),
      ),
    );
  }

  async complete(incidentId: string, at: string): Promise<void> {
    await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET #state = :complete, completedAt = :at',
          ConditionExpression: '#state = :approved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':complete': CampaignState.COMPLETE, ':approved': CampaignState.APPROVED, ':at': at },
        }),
      ),
    );
  }

  async claim(incidentId: string, addressHash: string, runId: string, at: string): Promise<ClaimAttempt> {
    const layout = await this.#layouts.of(incidentId);
    const write = await conditionalWrite(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          // With the (empty) map SES events are kept in (dynamodb-mail-events.ts): the first event is one write.
          Item: { ...AuditKeys.apology(incidentId, addressHash, layout), state: ApologyState.SENDING, runId, claimedAt: at, [SES_EVENTS_ATTRIBUTE]: {} },
          ConditionExpression: 'attribute_not_exists(pk)',
          // The claim that holds the address, in the same round trip: no read before the claim.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return write.written ? { claimed: true } : { claimed: false, existing: write.existing && toClaim(write.existing) };
  }

  async claimOf(incidentId: string, addressHash: string): Promise<ApologyClaim | undefined> {
    const layout = await this.#layouts.of(incidentId);
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.apology(incidentId, addressHash, layout), ConsistentRead: true }),
    );
    return Item && toClaim(Item);
  }

  async settle(incidentId: string, addressHash: string, outcome: ApologyOutcome, at: string, runId?: string): Promise<boolean> {
    const values: Item = { ':state': outcome.state, ':at': at, ':sending': ApologyState.SENDING };
    let set = '#state = :state, settledAt = :at';
    if (outcome.sesMessageId) {
      set += ', sesMessageId = :id';
      values[':id'] = outcome.sesMessageId;
    }
    if (outcome.reason) {
      set += ', reason = :reason';
      values[':reason'] = outcome.reason;
    }
    if (outcome.sendStartedAt) {
      set += ', sendStartedAt = :started';
      values[':started'] = outcome.sendStartedAt;
    }
    const names: Record<string, string> = { '#state': 'state' };
    if (outcome.resent) {
      // The operator's re-send settles with the claim: the story keeps who approved it and how it went.
      set += ', resend.#state = :state, resend.settledAt = :at';
      if (outcome.sesMessageId) set += ', resend.sesMessageId = :id, settledBy = :by';
      if (outcome.reason) set += ', resend.reason = :reason';
      if (outcome.sesMessageId) values[':by'] = SETTLED_BY_RESEND;
    }
    if (runId) values[':run'] = runId;
    const layout = await this.#layouts.of(incidentId);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: AuditKeys.apology(incidentId, addressHash, layout),
                UpdateExpression: `SET ${set}`,
                ConditionExpression: `#state = :sending${runId ? ' AND runId = :run' : ''}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: AuditKeys.counterOf(incidentId, addressHash, layout),
                UpdateExpression: 'ADD #count :one',
                ExpressionAttributeNames: { '#count': outcome.state },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async release(incidentId: string, addressHash: string, runId: string): Promise<void> {
    const layout = await this.#layouts.of(incidentId);
    await conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: AuditKeys.apology(incidentId, addressHash, layout),
          ConditionExpression: '#state = :sending AND runId = :run',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': ApologyState.SENDING, ':run': runId },
        }),
      ),
    );
  }

  async claimCounts(incidentId: string): Promise<Record<string, number>> {
    const layout = await this.#layouts.of(incidentId);
    // One small item per shard (16 in one query for a legacy incident), whatever the campaign's size.
    const items =
      layout.shards === 0
        ? ((
            await this.client.send(
              new QueryCommand({
                TableName: this.tableName,
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                ExpressionAttributeValues: { ':pk': AuditKeys.incidentPartition(incidentId), ':prefix': 'COUNT#' },
                ConsistentRead: true,
              }),
            )
          ).Items ?? [])
        : await Promise.all(
            AuditKeys.counters(incidentId, layout).map(
              async (Key) => (await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))).Item ?? {},
            ),
          );
    const counts: Record<string, number> = {};
    for (const item of items) {
      for (const state of Object.values(ApologyState)) {
        if (typeof item[state] === 'number') counts[state] = (counts[state] ?? 0) + Number(item[state]);
      }
    }
    return counts;
  }

  async #page(incidentId: string, prefix: string, after: string | undefined, limit: number): Promise<{ items: Item[]; cursor?: string }> {
    return incidentPage(this.client, this.tableName, incidentId, await this.#layouts.of(incidentId), prefix, after, limit);
  }
}

/**
 * The campaigns, with the re-send claims of an operator-approved apology in doubt, which only
 * the apology sender makes. A class of its own, so that the audit and operator functions, which
 * never send, do not bundle these writes (class methods are not tree-shaken; bench/README.md).
 */
export class DynamoDbApologySends extends DynamoDbCampaigns implements ApologySendStore {
  async claimResend(incidentId: string, addressHash: string, runId: string, at: string): Promise<'claimed' | 'taken'> {
    const moved = await this.#moveInDoubt(incidentId, addressHash, -1, {
      UpdateExpression: 'SET #state = :sending, runId = :run, claimedAt = :at, resend.#state = :sending, resend.claimedAt = :at',
      // An SES event come meanwhile (the first email went after all) stops the re-send; a claim starts with an empty map.
      ConditionExpression: '#state = :uncertain AND resend.#state = :approved AND (attribute_not_exists(sesEvents) OR size(sesEvents) = :none)',
      ExpressionAttributeValues: {
        ':sending': ApologyState.SENDING,
        ':uncertain': ApologyState.UNCERTAIN,
        ':approved': ResendState.APPROVED,
        ':run': runId,
        ':at': at,
        ':none': 0,
      },
    });
    return moved ? 'claimed' : 'taken';
  }

  async releaseResend(incidentId: string, addressHash: string, runId: string): Promise<void> {
    await this.#moveInDoubt(incidentId, addressHash, 1, {
      UpdateExpression: 'SET #state = :uncertain, resend.#state = :approved REMOVE resend.claimedAt',
      ConditionExpression: '#state = :sending AND runId = :run',
      ExpressionAttributeValues: { ':sending': ApologyState.SENDING, ':uncertain': ApologyState.UNCERTAIN, ':approved': ResendState.APPROVED, ':run': runId },
    });
  }

  // A claim's move into or out of doubt, with its count on the UNCERTAIN counter, in one transaction.
  async #moveInDoubt(
    incidentId: string,
    addressHash: string,
    uncertainBy: 1 | -1,
    update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Item },
  ): Promise<boolean> {
    const layout = await this.layoutOf(incidentId);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.tableName, Key: AuditKeys.apology(incidentId, addressHash, layout), ExpressionAttributeNames: { '#state': 'state' }, ...update } },
            {
              Update: {
                TableName: this.tableName,
                Key: AuditKeys.counterOf(incidentId, addressHash, layout),
                UpdateExpression: 'ADD #count :by',
                ExpressionAttributeNames: { '#count': ApologyState.UNCERTAIN },
                ExpressionAttributeValues: { ':by': uncertainBy },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }
}

/**
 * Wrong notices listed per address and incident at most (plus one page's): at up to 220 bytes an
 * entry (`<reason> <noticeId>`, ids of at most 196 characters) well inside an item's 400 KB.
 */
export const MAX_LISTED_WRONG_NOTICES = 1000;

function listAdd(adds: readonly string[], listed: readonly string[]): string {
  const all = listed.length > 0 ? [...adds, 'wrongNotices :notices'] : adds;
  return all.length > 0 ? ` ADD ${all.join(', ')}` : '';
}

function parseListed(entry: string): WrongNotice {
  const space = entry.indexOf(' ');
  return { reason: entry.slice(0, space) as AuditReason, noticeId: entry.slice(space + 1) };
}

/** An update's new item, or the item as it was when its condition failed. */
async function updateOrExisting(write: Promise<{ Attributes?: Item }>): Promise<{ item: { Attributes?: Item } } | { existing: Item | undefined }> {
  try {
    return { item: await write };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { existing: error.Item && fromAttributes(error.Item) };
  }
}

function toClaim(item: Item): ApologyClaim {
  return {
    state: item.state as ApologyState,
    runId: String(item.runId ?? ''),
    claimedAt: String(item.claimedAt ?? ''),
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    ...(item.sesEvents ? { sesEvents: item.sesEvents as MailEvents } : {}),
    ...(item.resend ? { resend: item.resend as Resend } : {}),
  };
}
