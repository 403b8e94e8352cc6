import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailEventRecord } from '../domain/mail-fate';
import type { SesEventType } from '../domain/ses-event';
import { ApologyState } from '../ports/campaigns';
import type { ApologyKey, EventRecording, InDoubtEvidence, MailEventStore } from '../ports/mail-feedback';
import { AuditKeys } from './audit-table-keys';
import { recordMailEvent, settleMailInDoubt, type MailEventItem } from './dynamodb-mail-events';

/**
 * SES events on apology claims (`APOLOGY#<addressHash>` under the incident, in the audit
 * table): kept on the claim (`sesEvents`), and an `UNCERTAIN` claim settled by them, `SENT`
 * with the event's message id, or `FAILED` (`SES_REJECTED`) for a Reject.
 */
export class DynamoDbApologyMailEvents implements MailEventStore<ApologyKey> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  record(key: ApologyKey, type: SesEventType, event: MailEventRecord): Promise<EventRecording> {
    return recordMailEvent(this.#item(key), type, event);
  }

  settleInDoubt(key: ApologyKey, evidence: InDoubtEvidence): Promise<boolean> {
    return settleMailInDoubt(this.#item(key), evidence, {
      stateAttribute: 'state',
      uncertain: ApologyState.UNCERTAIN,
      sent: ApologyState.SENT,
      failed: ApologyState.FAILED,
    });
  }

  #item(key: ApologyKey): MailEventItem {
    return { client: this.client, tableName: this.tableName, key: AuditKeys.apology(key.incidentId, key.addressHash) };
  }
}
