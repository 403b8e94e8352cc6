import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApologyMessage } from '../apology-message';
import type { AuditReason } from '../audit-reasons';
import { toLocale } from '../../directory/facts';
import { ResendState } from '../../notices/ledger-entry';
import { ApologyState } from '../ports/campaigns';
import type { ResendApproval } from '../../notices/ports/notice-records';
import type { ApologyId, ApologyRecord, ApologyRecords, NoticeInIncident } from '../ports/apology-records';
import { AuditKeys, incidentPartitions, layoutOf } from './keys';
import { IncidentLayouts } from './incident-layouts';
import { queryAll } from '../../platform/dynamodb/document';
import { conditionHeld } from '../../platform/dynamodb/helpers';
import { SES_EVENTS_ATTRIBUTE } from '../../notices/ledger-table/mail-events';

type Item = Record<string, unknown>;

/**
 * Incidents and apology claims in the audit table, for the operator commands: a notice's
 * membership is `ROW#<noticeId>` under each incident, its apology `APOLOGY#<addressHash>`
 * there. Incidents are few (one per declared fault), so each is looked at in turn.
 */
export class DynamoDbApologyRecords implements ApologyRecords {
  readonly #layouts: IncidentLayouts;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.#layouts = new IncidentLayouts(client, tableName);
  }

  async forNotice(noticeId: string, addressHash: string | undefined): Promise<NoticeInIncident[]> {
    const found: NoticeInIncident[] = [];
    for (const incident of await this.#incidents()) {
      const incidentId = String(incident.incidentId);
      const layout = layoutOf(incident);
      const member = await this.#get(AuditKeys.member(incidentId, noticeId, layout));
      if (!member) continue;
      const claim = addressHash ? await this.#get(AuditKeys.apology(incidentId, addressHash, layout)) : undefined;
      found.push({
        incidentId,
        description: String(incident.description ?? ''),
        verdict: String(member.verdict ?? ''),
        ...(typeof member.reason === 'string' ? { reason: member.reason } : {}),
        ...(claim ? { apology: toApology(incidentId, claim) } : {}),
      });
    }
    return found;
  }

  async inDoubt(): Promise<ApologyRecord[]> {
    const found: ApologyRecord[] = [];
    for (const incident of await this.#incidents()) {
      const incidentId = String(incident.incidentId);
      const shards = await Promise.all(
        incidentPartitions(incidentId, layoutOf(incident)).map((pk) =>
          queryAll(this.client, {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: '#state = :uncertain',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pk': pk, ':prefix': 'APOLOGY#', ':uncertain': ApologyState.UNCERTAIN },
          }),
        ),
      );
      found.push(...shards.flat().map((claim) => toApology(incidentId, claim)));
    }
    return found;
  }

  async get(id: ApologyId): Promise<ApologyRecord | undefined> {
    const claim = await this.#get(AuditKeys.apology(id.incidentId, id.addressHash, await this.#layouts.of(id.incidentId)));
    return claim ? toApology(id.incidentId, claim) : undefined;
  }

  async plannedMessage(id: ApologyId): Promise<ApologyMessage | undefined> {
    const planned = await this.#get(AuditKeys.recipient(id.incidentId, id.addressHash, await this.#layouts.of(id.incidentId)));
    if (planned?.decision !== 'APOLOGISE' || typeof planned.noticeId !== 'string') return undefined;
    return { v: 1, ...id, noticeId: planned.noticeId, reason: planned.reason as AuditReason, locale: toLocale(String(planned.locale)) };
  }

  async approveResend(id: ApologyId, approval: ResendApproval): Promise<boolean> {
    const layout = await this.#layouts.of(id.incidentId);
    // The one guard against a second re-send: written only where no re-send exists yet.
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.apology(id.incidentId, id.addressHash, layout),
          UpdateExpression: 'SET resend = :resend',
          // A claim starts with an empty event map: "no SES event" is that, or none at all.
          ConditionExpression:
            '#state = :uncertain AND attribute_not_exists(resend) AND (attribute_not_exists(#events) OR size(#events) = :none) AND settledAt < :before',
          ExpressionAttributeNames: { '#state': 'state', '#events': SES_EVENTS_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':uncertain': ApologyState.UNCERTAIN,
            ':resend': { state: ResendState.APPROVED, by: approval.by, at: approval.at },
            ':before': approval.inDoubtBefore,
            ':none': 0,
          },
        }),
      ),
    );
  }

  #incidents(): Promise<Item[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': AuditKeys.incidentsPartition },
    });
  }

  async #get(key: Record<string, string>): Promise<Item | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }
}

function toApology(incidentId: string, claim: Item): ApologyRecord {
  const text = (name: string) => (typeof claim[name] === 'string' ? { [name]: claim[name] as string } : {});
  return {
    incidentId,
    addressHash: String(claim.sk).slice('APOLOGY#'.length),
    state: String(claim.state),
    ...text('claimedAt'),
    ...text('settledAt'),
    ...text('sesMessageId'),
    ...text('reason'),
    ...(claim.sesEvents ? { sesEvents: claim.sesEvents as ApologyRecord['sesEvents'] } : {}),
    ...(claim.resend ? { resend: claim.resend as ApologyRecord['resend'] } : {}),
  };
}
