import { describe, expect, it } from 'vitest';
import { mailEventRecord, mailFate, sentEvidence, type MailEvents } from '../../../lambdas/mail/mail-fate';
import { sesEvent } from '../../../lambdas/mail/ses-event';
import { sesEventFactory, type SesEventSpec } from '../../helpers/factories';

const parsed = (spec: SesEventSpec) => sesEvent.parse(sesEventFactory(spec));
const rec = (at: string, messageId = 'm-1') => ({ at, messageId });

describe('an email\'s fate from its SES events', () => {
  it('is the latest stage of its life, whatever order the events came in', () => {
    // Prepare: a Delivery that came before its Send.
    const events: MailEvents = { Delivery: rec('2026-11-25T10:00:02Z'), Send: rec('2026-11-25T10:00:00Z') };

    // Act, Assess
    expect(mailFate(events)).toBe('DELIVERED');
    expect(mailFate({ ...events, Complaint: rec('2026-11-25T11:00:00Z') })).toBe('COMPLAINED');
    expect(mailFate({ Send: rec('x') })).toBe('ACCEPTED');
    expect(mailFate({ Send: rec('x'), DeliveryDelay: rec('y') })).toBe('DELAYED');
    expect(mailFate(undefined)).toBe('UNKNOWN');
  });

  it('proves an email went out by any event after SES took it, but not by a Reject', () => {
    // Act, Assess
    expect(sentEvidence({ Bounce: rec('2026-11-25T10:00:05Z', 'm-7') })).toEqual({ messageId: 'm-7', sentAt: '2026-11-25T10:00:05Z' });
    expect(sentEvidence({ Delivery: rec('2026-11-25T10:00:05Z'), Send: rec('2026-11-25T10:00:00Z') })).toEqual({
      messageId: 'm-1',
      sentAt: '2026-11-25T10:00:00Z',
    });
    expect(sentEvidence({ Reject: rec('2026-11-25T10:00:00Z') })).toBeUndefined();
    expect(sentEvidence({})).toBeUndefined();
  });

  it('keeps the time and non-personal details of an event, never an address', () => {
    // Prepare
    const bounce = parsed({ eventType: 'Bounce', to: 'kim@example.com', messageId: 'm-2', at: '2026-11-25T10:00:03.000Z' });

    // Act
    const record = mailEventRecord(bounce);

    // Assess
    expect(record).toEqual({
      at: '2026-11-25T10:00:03.000Z',
      messageId: 'm-2',
      detail: { bounceType: 'Permanent', bounceSubType: 'General', status: '5.1.1' },
    });
    expect(JSON.stringify(record)).not.toContain('kim@');
  });
});
