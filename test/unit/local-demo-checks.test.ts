import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../local/demo/check-expectations';
import type { Expectations } from '../../local/demo/expectations';
import type { SentMail } from '../../local/demo/sent-mail';
import { formatSummary, type StackSummary } from '../../local/demo/stack-summary';

const expectations: Expectations = {
  notices: [
    { eventId: 'e-1', outcome: 'SENT' },
    { eventId: 'e-2', outcome: 'BLOCKED', reason: 'NOTIFICATIONS_OFF' },
  ],
  emails: { 'ann@example.com': 1, 'mia@example.com': 0 },
  totalEmails: 1,
  quarantined: 1,
  deadLettered: 0,
};

function summaryFactory(overrides: Partial<StackSummary> = {}): StackSummary {
  return {
    outcomes: { SENT: 1, BLOCKED: 1 },
    blockedByReason: { NOTIFICATIONS_OFF: 1 },
    decisions: new Map([
      ['e-1', { outcome: 'SENT' }],
      ['e-2', { outcome: 'BLOCKED', reason: 'NOTIFICATIONS_OFF' }],
    ]),
    quarantined: 1,
    deadLettered: 0,
    backlog: 0,
    ...overrides,
  };
}

const mails: SentMail[] = [{ messageId: 'm-1', to: ['ann@example.com'], subject: 'A gift' }];

describe('checkExpectations', () => {
  it('passes when ledger, mailbox and queues match', () => {
    expect(checkExpectations(expectations, summaryFactory(), mails).every((check) => check.ok)).toBe(true);
  });

  it('fails a guarded purchase that was mailed, and says what was found', () => {
    // Prepare
    const summary = summaryFactory({ decisions: new Map([['e-1', { outcome: 'SENT' }], ['e-2', { outcome: 'SENT' }]]) });
    const extra = [...mails, { messageId: 'm-2', to: ['mia@example.com'], subject: 'A gift' }];

    // Act
    const failed = checkExpectations(expectations, summary, extra).filter((check) => !check.ok);

    // Assess
    expect(failed.map((check) => [check.what, check.found])).toEqual([
      ['e-2: BLOCKED NOTIFICATIONS_OFF', 'SENT'],
      ['mia@example.com received 0 emails', '1'],
      ['1 emails in all (nobody else was mailed)', '2'],
    ]);
  });

  it('fails an event with no ledger row', () => {
    const failed = checkExpectations(expectations, summaryFactory({ decisions: new Map() }), mails).filter((check) => !check.ok);
    expect(failed[0]?.found).toBe('no ledger row');
  });
});

describe('formatSummary', () => {
  it('lists sent, blocked by reason, quarantined and dead-lettered', () => {
    const text = formatSummary(summaryFactory(), 1).join('\n');
    expect(text).toMatch(/sent\s+1/);
    expect(text).toMatch(/NOTIFICATIONS_OFF\s+1/);
    expect(text).toMatch(/quarantined\s+1/);
    expect(text).toMatch(/dead-lettered 0/);
  });
});
