import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../cli/demo/check-expectations';
import type { Expectations } from '../../cli/demo/expectations';
import type { EpisodeResult } from '../../cli/demo/history-scenario';
import type { SentMail } from '../../cli/demo/sent-mail';
import { formatSummary, type StackSummary } from '../../cli/demo/stack-summary';

const expectations: Expectations = {
  notices: [
    { eventId: 'e-1', outcome: 'SENT' },
    { eventId: 'e-2', outcome: 'BLOCKED', reason: 'NOTIFICATIONS_OFF' },
  ],
  history: {
    verdicts: [
      { noticeId: 'imp#archive#a-1', verdict: 'OK' },
      { noticeId: 'imp#mailer#m-1', verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' },
    ],
    campaigns: [
      { incidentId: 'inc-later', toApologise: 0 },
      { incidentId: 'inc-correction', toApologise: 1 },
    ],
  },
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
    verdicts: new Map([
      ['imp#archive#a-1', { verdict: 'OK' }],
      ['imp#mailer#m-1', { verdict: 'WRONG', reason: 'NOT_A_PARTICIPANT' }],
    ]),
    quarantined: 1,
    deadLettered: 0,
    backlog: 0,
    suppressedBySes: new Set(),
    ...overrides,
  };
}

const mails: SentMail[] = [{ messageId: 'm-1', to: ['ann@example.com'], subject: 'A gift' }];

function episodesFactory(toApologise: readonly [number, number] = [0, 1]): EpisodeResult[] {
  return [
    { title: 'later changes', incidentId: 'inc-later', declaredAs: 'inc-later-x1', campaign: { state: 'COMPLETE', toApologise: toApologise[0], rows: 4 } },
    { title: 'a correction', incidentId: 'inc-correction', declaredAs: 'inc-correction-x1', campaign: { state: 'COMPLETE', toApologise: toApologise[1], rows: 1 } },
  ];
}

describe('checkExpectations', () => {
  it('passes when ledger, mailbox and queues match', () => {
    expect(checkExpectations(expectations, summaryFactory(), mails, episodesFactory()).every((check) => check.ok)).toBe(true);
  });

  it('fails a guarded purchase that was mailed, and says what was found', () => {
    // Prepare
    const summary = summaryFactory({ decisions: new Map([['e-1', { outcome: 'SENT' }], ['e-2', { outcome: 'SENT' }]]) });
    const extra = [...mails, { messageId: 'm-2', to: ['mia@example.com'], subject: 'A gift' }];

    // Act
    const failed = checkExpectations(expectations, summary, extra, episodesFactory()).filter((check) => !check.ok);

    // Assess
    expect(failed.map((check) => [check.what, check.found])).toEqual([
      ['e-2: BLOCKED NOTIFICATIONS_OFF', 'SENT'],
      ['mia@example.com received 0 emails', '1'],
      ['1 emails in all (nobody else was mailed)', '2'],
    ]);
  });

  it('fails an event with no ledger row', () => {
    const failed = checkExpectations(expectations, summaryFactory({ decisions: new Map() }), mails, episodesFactory()).filter((check) => !check.ok);
    expect(failed[0]?.found).toBe('no ledger row');
  });
});

describe('checkExpectations of the history (what was true when)', () => {
  it('fails a notice the audit judged otherwise, and one it has not judged', () => {
    // Prepare
    const summary = summaryFactory({ verdicts: new Map([['imp#archive#a-1', { verdict: 'WRONG', reason: 'REGISTRY_CLOSED' }]]) });

    // Act
    const failed = checkExpectations(expectations, summary, mails, episodesFactory()).filter((check) => !check.ok);

    // Assess
    expect(failed.map((check) => [check.what, check.found])).toEqual([
      ['audit of imp#archive#a-1: OK', 'WRONG REGISTRY_CLOSED'],
      ['audit of imp#mailer#m-1: WRONG NOT_A_PARTICIPANT', 'not audited'],
    ]);
  });

  it('fails an incident that plans apologies after later changes, and one with no plan', () => {
    // Prepare
    const episodes = [episodesFactory([4, 1])[0]!, { title: 'a correction', incidentId: 'inc-correction', declaredAs: 'inc-correction-x1' }];

    // Act
    const failed = checkExpectations(expectations, summaryFactory(), mails, episodes).filter((check) => !check.ok);

    // Assess
    expect(failed.map((check) => [check.what, check.found])).toEqual([
      ['incident inc-later plans 0 apologies', '4 COMPLETE'],
      ['incident inc-correction plans 1 apology', 'no campaign planned'],
    ]);
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
