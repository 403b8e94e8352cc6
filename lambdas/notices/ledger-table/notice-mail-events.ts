import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NoticeOutcome } from '../ledger-entry';
import type { MailEventRecord } from '../../mail/mail-fate';
import type { SesEventType } from '../../mail/ses-event';
import type { InDoubtEvidence, MailEventStore, RecordedMailEvent } from '../../mail/ports/mail-feedback';
import { IN_DOUBT_ATTRIBUTE } from './notice-ledger';
import { recordMailEvent, settleMailInDoubt } from './mail-events';

/** The ledger row's hash of the address it mailed: an event must name that address, and only it. */
const RECIPIENT_HASH_ATTRIBUTE = 'recipientAddressHash';

/**
 * SES events on the notice ledger: kept on the row (`sesEvents`), and an `UNCERTAIN` row
 * settled by them: `SENT` with the event's message id (SES took the email), or `FAILED`
 * (`SES_REJECTED`) for a Reject; either way off the doubt list (`inDoubt` removed). Only an
 * event about the row's own email counts: its message id, and its recipient.
 */
export class DynamoDbNoticeMailEvents implements MailEventStore<string> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  record(noticeId: string, type: SesEventType, event: MailEventRecord, recipientHash: string): Promise<RecordedMailEvent> {
    return recordMailEvent(
      { client: this.client, tableName: this.tableName, key: { noticeId } },
      type,
      event,
      { stateAttribute: 'outcome', open: [NoticeOutcome.SENDING, NoticeOutcome.UNCERTAIN], recipientAttribute: RECIPIENT_HASH_ATTRIBUTE },
      recipientHash,
    );
  }

  settleInDoubt(noticeId: string, evidence: InDoubtEvidence): Promise<boolean> {
    return settleMailInDoubt({ client: this.client, tableName: this.tableName, key: { noticeId } }, evidence, {
      stateAttribute: 'outcome',
      uncertain: NoticeOutcome.UNCERTAIN,
      sent: NoticeOutcome.SENT,
      failed: NoticeOutcome.FAILED,
      inDoubtAttribute: IN_DOUBT_ATTRIBUTE,
      recipientAttribute: RECIPIENT_HASH_ATTRIBUTE,
    });
  }
}
