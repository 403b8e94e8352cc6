import { z } from 'zod';
import { contractIssues, readJsonBody } from './contract-issues';
import { identifier } from './identifier';

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** How far a purchase may lie in the future before we call the clock wrong. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const purchaseMessageV1 = z.strictObject(
  {
    schemaVersion: z.literal(1, { error: 'must be the integer 1' }),
    eventId: identifier,
    purchaseId: identifier,
    registryId: identifier,
    item: z.strictObject(
      {
        itemId: identifier,
        title: z
          .string({ error: 'must be a string' })
          .min(1, { error: 'must not be empty' })
          .max(200, { error: 'must be at most 200 characters' }),
        quantity: z
          .number({ error: 'must be a number' })
          .int({ error: 'must be an integer' })
          .min(1, { error: 'must be at least 1' })
          .max(99, { error: 'must be at most 99' }),
      },
      { error: 'must be an object' },
    ),
    purchasedAt: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time with a time zone' }),
    purchaser: z
      .strictObject(
        {
          displayName: z
            .string({ error: 'must be a string' })
            .min(1, { error: 'must not be empty' })
            .max(80, { error: 'must be at most 80 characters' })
            .refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' }),
        },
        { error: 'must be an object' },
      )
      .optional(),
    giftMessage: z.string({ error: 'must be a string' }).max(500, { error: 'must be at most 500 characters' }).optional(),
    recipientCustomerId: identifier.optional(),
  },
  { error: 'must be a JSON object' },
);

/** A purchase event that passed every rule of message contract v1. */
export type PurchaseMessage = z.infer<typeof purchaseMessageV1>;

import type { MessageIssue } from './contract-issues';

export type { MessageIssue } from './contract-issues';

export type ParseResult =
  | { readonly ok: true; readonly message: PurchaseMessage }
  | { readonly ok: false; readonly issues: readonly MessageIssue[] };

/** Bodies larger than this are refused before parsing (SQS allows 256 KiB; a valid v1 message is under 4 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Parses and validates an SQS message body against purchase message contract v1.
 *
 * Never throws: every way a body can be wrong comes back as a list of issues, each
 * naming the field and the rule, so the caller can quarantine it with its reason.
 *
 * @example
 * const result = parsePurchaseMessage(record.body, new Date());
 * if (!result.ok) console.warn(result.issues); // [{ field: 'item.quantity', rule: 'must be at most 99' }]
 */
export function parsePurchaseMessage(body: string, now: Date): ParseResult {
  const read = readJsonBody(body, MAX_BODY_BYTES);
  if (!read.ok) return read;
  const { json } = read;
  const parsed = purchaseMessageV1.safeParse(json);
  if (!parsed.success) {
    return { ok: false, issues: contractIssues(parsed.error, json, 'purchase message v1') };
  }
  const message = parsed.data;
  if (Date.parse(message.purchasedAt) > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return { ok: false, issues: [{ field: 'purchasedAt', rule: 'must not be more than 5 minutes in the future' }] };
  }
  return { ok: true, message };
}
