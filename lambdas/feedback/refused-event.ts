import type { SQSRecord } from 'aws-lambda';
import type { QuarantinedMessage } from '../platform/queues/quarantine';
import { SES_EVENT_REFUSAL_RULES, type SesEventRefusal } from './process-ses-event';

/**
 * The quarantine message of an SES event the feedback function refused (well formed, but about
 * no email we recorded as we sent it): the body as it came, `UNVERIFIED_EVENT`, and the rule
 * it broke, so an operator sees a forgery (or our own bug) for 14 days, alarmed.
 *
 * @example
 * refusedEventQuarantine(record, 'FOREIGN_RECIPIENT', new Date()).issues // [{ field: 'mail.destination', rule: 'must name only the address its email was sent to' }]
 */
export function refusedEventQuarantine(record: SQSRecord, refusal: SesEventRefusal, now: Date): QuarantinedMessage {
  return {
    reason: 'UNVERIFIED_EVENT',
    source: record.eventSourceARN?.split(':').at(-1) || 'unknown',
    sourceMessageId: record.messageId,
    body: record.body,
    issues: [SES_EVENT_REFUSAL_RULES[refusal]],
    receivedAt: now.toISOString(),
  };
}
