import { describe, expect, it } from 'vitest';
import { sesEvent } from '../../../lambdas/mail/ses-event';
import { sesEventFactory } from '../../helpers/factories';

const issuesOf = (value: unknown) => {
  const result = sesEvent.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ field: i.path.join('.'), rule: i.message }));
};

describe('the SES event contract', () => {
  it.each(['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject', 'DeliveryDelay'] as const)('accepts a %s event as SES publishes it', (eventType) => {
    // Prepare
    const event = sesEventFactory({ eventType });

    // Act
    const result = sesEvent.safeParse(event);

    // Assess
    expect(result.success).toBe(true);
  });

  it('accepts fields SES may add one day, on every object it owns', () => {
    // Prepare
    const event = sesEventFactory({ eventType: 'Bounce' }) as { bounce: Record<string, unknown>; mail: Record<string, unknown> };
    event.bounce.newField = 1;
    event.mail.newField = 'x';

    // Act
    const result = sesEvent.safeParse({ ...event, anotherNewField: true });

    // Assess
    expect(result.success).toBe(true);
  });

  it('refuses an event type it does not publish to us, naming the field', () => {
    // Act
    const issues = issuesOf({ ...sesEventFactory({ eventType: 'Send' }), eventType: 'Open' });

    // Assess
    expect(issues).toEqual([{ field: 'eventType', rule: 'must be one of Send, Delivery, Bounce, Complaint, Reject, DeliveryDelay' }]);
  });

  it('refuses a bounce without its details or recipients, naming each broken rule', () => {
    // Prepare
    const event = sesEventFactory({ eventType: 'Bounce' }) as { bounce: Record<string, unknown> };

    // Act
    const noDetail = issuesOf({ ...event, bounce: undefined });
    const noRecipients = issuesOf({ ...event, bounce: { ...event.bounce, bouncedRecipients: [], bounceType: 'Soft' } });

    // Assess
    expect(noDetail).toEqual([{ field: 'bounce', rule: 'is required' }]);
    expect(noRecipients).toEqual([
      { field: 'bounce.bounceType', rule: 'must be Permanent, Transient or Undetermined' },
      { field: 'bounce.bouncedRecipients', rule: 'must name at least one recipient' },
    ]);
  });

  it('refuses mail without a message id or with a bad timestamp', () => {
    // Prepare
    const event = sesEventFactory({ eventType: 'Delivery' }) as { mail: Record<string, unknown> };

    // Act
    const issues = issuesOf({ ...event, mail: { ...event.mail, messageId: '', timestamp: 'yesterday' } });

    // Assess
    expect(issues).toEqual([
      { field: 'mail.timestamp', rule: 'must be an ISO 8601 date-time' },
      { field: 'mail.messageId', rule: 'must not be empty' },
    ]);
  });
});
