import { z } from 'zod';
import { readJsonInput } from '../input-file';
import { MailFate } from '../../lambdas/mail/mail-fate';

const notice = z.strictObject({
  eventId: z.string().min(1),
  outcome: z.enum(['SENT', 'BLOCKED', 'FAILED', 'UNCERTAIN']),
  reason: z.string().optional(),
  /** What SES's events must say became of the email (its ledger row's `sesEvents`). */
  fate: z.enum(Object.values(MailFate) as [MailFate, ...MailFate[]]).optional(),
  /** Sent only once SES has been heard (later-purchases.json): the fates and suppressions are in. */
  afterHearingBack: z.boolean().optional(),
  why: z.string().optional(),
});

/** What playing a scenario must produce (cli/demo/expectations.json). */
export const ExpectationsSchema = z.strictObject({
  description: z.string().optional(),
  /** One ledger decision per event id. */
  notices: z.array(notice),
  /** How many emails each address must have received (0 = none, ever). */
  emails: z.record(z.string(), z.number().int().min(0)),
  /** Emails in the mailbox in all: nobody else was mailed. */
  totalEmails: z.number().int().min(0),
  /** Messages on the quarantine queue. */
  quarantined: z.number().int().min(0),
  /** Messages on the dead-letter queue. */
  deadLettered: z.number().int().min(0),
  /** What the audit makes of cli/demo/history.json's notices, once it has run. */
  history: z.strictObject({
    /** Verdicts by ledger row id (`imp#<source>#<sourceNoticeId>`). */
    verdicts: z.array(z.strictObject({ noticeId: z.string().min(1), verdict: z.enum(['OK', 'WRONG']), reason: z.string().optional(), why: z.string().optional() })),
    /** The campaign planned for each episode's incident (by its id in history.json). */
    campaigns: z.array(z.strictObject({ incidentId: z.string().min(1), toApologise: z.number().int().min(0), state: z.string().optional(), why: z.string().optional() })),
  }),
  /** Addresses SES's events must have put on the suppression list. */
  suppressedBySes: z.array(z.string()).optional(),
});

/** Parsed expectations. */
export type Expectations = z.infer<typeof ExpectationsSchema>;

/**
 * Reads and validates an expectations file.
 *
 * @example
 * readExpectations('cli/demo/expectations.json').notices.length // 9
 */
export function readExpectations(file: string): Expectations {
  return readJsonInput(file, ExpectationsSchema);
}
