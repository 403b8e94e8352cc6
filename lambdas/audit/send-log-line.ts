import * as z from 'zod/mini';
import { validateJsonText } from '../platform/validation';
import { contractObject, instant, text, typeRule } from '../platform/contract-schema';
import { OUR_SENDER } from '../notices/ledger-entry';
import { identifier } from '../platform/identifier';
import { MAX_ADDRESS_LENGTH, isPlainAddress } from '../directory/plain-address';

/** Source names become part of ledger keys (`imp#<source>#…`) and of `sender`: a tight alphabet. */
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Lines longer than this are refused before parsing. */
export const MAX_SEND_LOG_LINE_BYTES = 16 * 1024;

const sendLogLineV1 = contractObject(
  {
    source: z
      .string(typeRule('must be a string'))
      .check(
        z.regex(SOURCE_PATTERN, { error: 'must be 1-63 characters of a-z 0-9 -, starting with a letter or digit' }),
        z.refine((s) => s !== OUR_SENDER, { error: `must not be ${OUR_SENDER} (that is us)` }),
      ),
    sourceNoticeId: identifier,
    sentAt: instant(),
    // Trimmed first (logs pad columns), then the rule our own data and the mailer follow:
    // the apology to this address goes through a mailer that refuses anything else.
    recipientAddress: z
      .string(typeRule('must be a string'))
      .check(
        z.trim(),
        z.maxLength(MAX_ADDRESS_LENGTH, { error: `must be at most ${MAX_ADDRESS_LENGTH} characters` }),
        z.refine(isPlainAddress, { error: 'must be an email address' }),
      ),
    registryId: identifier,
    purchaseId: z.optional(identifier),
    eventId: z.optional(identifier),
    itemId: z.optional(identifier),
    recipientCustomerId: z.optional(identifier),
    template: z.optional(text(100)),
    locale: z.optional(
      z.string(typeRule('must be a string')).check(z.regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, { error: 'must be a language tag like en or de-AT' })),
    ),
  },
  'send log v1',
  'must be a JSON object',
).check(
  z.refine((line) => line.purchaseId !== undefined || line.eventId !== undefined, {
    error: 'is required (purchaseId or eventId, at least one)',
    path: ['purchaseId'],
  }),
);

/** One notice another system sent, as its send log records it (format v1, see docs/send-log-format.md). */
export type SendLogLine = z.infer<typeof sendLogLineV1>;

/** One broken rule on one line. */
export interface SendLogIssue {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly field: string;
  readonly rule: string;
}

export type SendLogLineResult =
  | { readonly ok: true; readonly notice: SendLogLine }
  | { readonly ok: false; readonly issues: readonly SendLogIssue[] };

/**
 * Validates one line of a send log. Never throws: every way a line can be wrong comes
 * back as issues naming the line, the field and the rule.
 *
 * @example
 * parseSendLogLine('{"source":"legacy-crm", ...}', 7)
 * // { ok: false, issues: [{ line: 7, field: 'sentAt', rule: 'is required' }] }
 */
export function parseSendLogLine(text: string, line: number): SendLogLineResult {
  const result = validateJsonText(text, sendLogLineV1, { maxBytes: MAX_SEND_LOG_LINE_BYTES, rootField: '(line)' });
  if (result.ok) return { ok: true, notice: result.value };
  return { ok: false, issues: result.issues.map((issue) => ({ line, ...issue })) };
}

/** How every imported notice's ledger key begins (ours begin `evt#`). */
export const IMPORTED_NOTICE_PREFIX = 'imp#';

/**
 * The ledger key of an imported notice.
 *
 * @example
 * noticeIdForImport('legacy-crm', 'n-42') // 'imp#legacy-crm#n-42'
 */
export function noticeIdForImport(source: string, sourceNoticeId: string): string {
  return `${IMPORTED_NOTICE_PREFIX}${source}#${sourceNoticeId}`;
}

/** The ledger `sender` of notices imported from `source`. */
export function senderForSource(source: string): string {
  return source === OUR_SENDER ? source : `import:${source}`;
}
