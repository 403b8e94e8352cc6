import { z } from 'zod';
import { readJsonInput } from '../../cli/input-file';

const notice = z.strictObject({
  eventId: z.string().min(1),
  outcome: z.enum(['SENT', 'BLOCKED', 'FAILED', 'UNCERTAIN']),
  reason: z.string().optional(),
  why: z.string().optional(),
});

/** What playing a scenario must produce (local/demo/expectations.json). */
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
});

/** Parsed expectations. */
export type Expectations = z.infer<typeof ExpectationsSchema>;

/**
 * Reads and validates an expectations file.
 *
 * @example
 * readExpectations('local/demo/expectations.json').notices.length // 9
 */
export function readExpectations(file: string): Expectations {
  return readJsonInput(file, ExpectationsSchema);
}
