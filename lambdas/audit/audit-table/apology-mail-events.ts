import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { settlementOf, type MailEventRecord } from '../../mail/mail-fate';
import type { SesEventType } from '../../mail/ses-event';
import { ApologyState } from '../ports/campaigns';
import type { ApologyKey, InDoubtEvidence, MailEventStore, RecordedMailEvent } from '../../mail/ports/mail-feedback';
import { AuditKeys, type IncidentLayout } from './keys';
import { IncidentLayouts } from './incident-layouts';
import { inDoubtSettlement, recordMailEvent, type MailEventItem } from '../../notices/ledger-table/mail-events';

/**
 * SES events on apology claims (`APOLOGY#<addressHash>` under the incident, in the audit
 * table): kept on the claim (`sesEvents`), and an `UNCERTAIN` claim settled by them, `SENT`
 * with the event's message id, or `FAILED` (`SES_REJECTED`) for a Reject. The settle moves
 * the claim's count from `UNCERTAIN` to its new state on the campaign's counters in the same
 * transaction, as the sender's settles do, so `campaign status` sees it.
 */
export class DynamoDbApologyMailEvents implements MailEventStore<ApologyKey> {
  readonly #layouts: IncidentLayouts;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.#layouts = new IncidentLayouts(client, tableName);
  }

  async record(key: ApologyKey, type: SesEventType, event: MailEventRecord, recipientHash: string): Promise<RecordedMailEvent> {
    // The claim's key is its recipient's hash: an event naming anyone else is not its email's.
    if (key.addressHash !== recipientHash) return { recording: 'foreign-recipient', settleable: false };
    return recordMailEvent(await this.#item(key), type, event, { stateAttribute: 'state', open: [ApologyState.SENDING, ApologyState.UNCERTAIN] }, recipientHash);
  }

  async settleInDoubt(key: ApologyKey, evidence: InDoubtEvidence): Promise<boolean> {
    if (key.addressHash !== evidence.recipientHash) return false;
    const item = await this.#item(key);
    const settled = inDoubtSettlement(item, evidence, {
      stateAttribute: 'state',
      uncertain: ApologyState.UNCERTAIN,
      sent: ApologyState.SENT,
      failed: ApologyState.FAILED,
    });
    const to = settlementOf(evidence.type) === 'SENT' ? ApologyState.SENT : ApologyState.FAILED;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: settled },
            {
              Update: {
                TableName: this.tableName,
                Key: AuditKeys.counterOf(key.incidentId, key.addressHash, item.layout),
                UpdateExpression: 'ADD #from :less, #to :one',
                ExpressionAttributeNames: { '#from': ApologyState.UNCERTAIN, '#to': to },
                ExpressionAttributeValues: { ':less': -1, ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      // The claim was not (any more) in doubt, or holds another email's id.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  // The claim's key follows the incident's layout (keys.ts), read once per incident.
  async #item(key: ApologyKey): Promise<MailEventItem & { readonly layout: IncidentLayout }> {
    const layout = await this.#layouts.of(key.incidentId);
    return { client: this.client, tableName: this.tableName, key: AuditKeys.apology(key.incidentId, key.addressHash, layout), layout };
  }
}
