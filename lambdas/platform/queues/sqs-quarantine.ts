import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { readEnv } from '../env';
import { QUARANTINE_ENV } from './quarantine-env';
import { SQS_MAX_MESSAGE_BYTES } from '../sqs-limits';
import type { Quarantine, QuarantinedMessage, QuarantineReason } from './quarantine';

/** A message attribute as the quarantine sends them: text, never binary. */
interface TextAttribute {
  readonly DataType: 'String' | 'Number';
  readonly StringValue: string;
}

/** The attribute summary of the issues is cut at this many characters; the envelope has them all. */
const ISSUES_ATTRIBUTE_CHARS = 1024;

/** Issues the envelope lists at most (a hostile body can break a rule per key, thousands of them). */
export const MAX_ENVELOPE_ISSUES = 100;

/** An issue's field (the producer's key) is cut at this many characters in the envelope. */
const ISSUE_FIELD_CHARS = 200;

/** Room kept free below the limit, for the SDK's and SQS's own rounding. */
const SAFETY_BYTES = 1024;

/** What the quarantine queue holds: one JSON envelope per invalid message. */
export interface QuarantineEnvelope {
  readonly reason: QuarantineReason;
  /** The source queue's (or feed's) name. */
  readonly source: string;
  readonly sourceMessageId: string;
  readonly receivedAt: string;
  /** The broken rules, field and rule: the first {@link MAX_ENVELOPE_ISSUES}, fields cut at 200 characters. */
  readonly issues: QuarantinedMessage['issues'];
  /** How many rules the body broke in all. */
  readonly issueCount: number;
  /** The body as it came; only its start when `bodyTruncated`. */
  readonly body: string;
  readonly bodyTruncated: boolean;
  /** Size of the whole original body, UTF-8 bytes. */
  readonly bodyBytes: number;
  /** SHA-256 of the whole original body (UTF-8), hex: tells two bodies apart, matches a producer's copy. */
  readonly bodySha256: string;
}

export interface SqsQuarantineOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /**
   * The quarantine queue's `MaximumMessageSize`.
   *
   * @default SQS_MAX_MESSAGE_BYTES (1 MiB)
   */
  readonly maxMessageBytes?: number;
}

/**
 * Keeps invalid messages on the quarantine queue (14 days) with their reasons, for any source
 * queue: a JSON {@link QuarantineEnvelope} (the body, its size and SHA-256, every issue), and the
 * issues again as a message attribute, so an operator can read them without parsing.
 *
 * Hostile input must fit too: the envelope escapes the body as JSON (a `"` takes two bytes, a
 * control character six), so a body near SQS's 1 MiB no longer fits beside its issues. Then the
 * envelope keeps the body's longest start that fits (never half a surrogate pair), marked
 * `bodyTruncated`, with the whole body's size and hash. Attributes carry only characters SQS
 * accepts: field names are the producer's text and may hold anything.
 */
export class SqsQuarantine implements Quarantine {
  private readonly client: Pick<SQSClient, 'send'>;
  private readonly queueUrl: string;
  private readonly maxMessageBytes: number;

  constructor(options: SqsQuarantineOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.maxMessageBytes = options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES;
  }

  async put(message: QuarantinedMessage): Promise<void> {
    const attributes: Record<string, TextAttribute> = {
      reason: stringAttribute(message.reason ?? 'INVALID_MESSAGE'),
      source: stringAttribute(message.source),
      sourceMessageId: stringAttribute(message.sourceMessageId),
      issues: stringAttribute(message.issues.slice(0, MAX_ENVELOPE_ISSUES).map((i) => `${i.field}: ${i.rule}`).join('; '), ISSUES_ATTRIBUTE_CHARS),
    };
    const budget = this.maxMessageBytes - attributesBytes(attributes) - SAFETY_BYTES;
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: quarantineEnvelope(message, budget), MessageAttributes: attributes }));
  }
}

/**
 * The quarantine of a function, from its environment (`QUARANTINE_QUEUE_URL`, which the
 * `QueueConsumerPipeline` construct sets together with the send grant).
 */
export function quarantineFromEnv(client: Pick<SQSClient, 'send'>, env: NodeJS.ProcessEnv = process.env): SqsQuarantine {
  return new SqsQuarantine({ client, queueUrl: readEnv(QUARANTINE_ENV, env).QUARANTINE_QUEUE_URL });
}

/**
 * The envelope as SQS message text of at most `maxBytes` UTF-8 bytes: the whole body when it
 * fits, else its longest start that does.
 */
export function quarantineEnvelope(message: QuarantinedMessage, maxBytes: number): string {
  const whole: QuarantineEnvelope = {
    reason: message.reason ?? 'INVALID_MESSAGE',
    source: message.source,
    sourceMessageId: message.sourceMessageId,
    receivedAt: message.receivedAt,
    issues: message.issues.slice(0, MAX_ENVELOPE_ISSUES).map((i) => ({ field: wholeCodePoints(i.field, ISSUE_FIELD_CHARS), rule: i.rule })),
    issueCount: message.issues.length,
    body: message.body,
    bodyTruncated: false,
    bodyBytes: Buffer.byteLength(message.body, 'utf8'),
    bodySha256: createHash('sha256').update(message.body, 'utf8').digest('hex'),
  };
  const text = toSqsJson(whole);
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;

  // Binary search for the longest start of the body whose envelope fits: the envelope's size
  // grows with the start's length, so the first length that does not fit bounds the search.
  const envelopeOf = (chars: number) => toSqsJson({ ...whole, body: wholeCodePoints(message.body, chars), bodyTruncated: true });
  let fits = 0;
  let tooLong = message.body.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (Buffer.byteLength(envelopeOf(middle), 'utf8') <= maxBytes) fits = middle;
    else tooLong = middle;
  }
  return envelopeOf(fits);
}

/**
 * JSON as SQS accepts it. `JSON.stringify` already escapes control characters and lone
 * surrogates; U+FFFE and U+FFFF it leaves raw, and SQS refuses them, so they are escaped too.
 */
function toSqsJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** The first `chars` UTF-16 units of `text`, one fewer if the last would be half a surrogate pair. */
function wholeCodePoints(text: string, chars: number): string {
  const code = text.charCodeAt(chars - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, chars - 1) : text.slice(0, chars);
}

// Everything SQS refuses in a message: outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
// #x10000-#x10FFFF. With the `u` flag a lone surrogate is one code point outside those ranges.
// eslint-disable-next-line no-control-regex
const NOT_SQS_TEXT = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/**
 * Text SQS accepts as an attribute value: every refused character (control characters, lone
 * surrogates, U+FFFE/U+FFFF) becomes U+FFFD, cut at `maxChars` without splitting a pair, and
 * never empty (SQS refuses an empty attribute).
 *
 * @example
 * sqsAttributeText('a\u0000b\ud800') // 'a\ufffdb\ufffd'
 */
export function sqsAttributeText(text: string, maxChars = 256): string {
  const clean = wholeCodePoints(text.replace(NOT_SQS_TEXT, '\ufffd'), maxChars);
  return clean.length > 0 ? clean : '(none)';
}

function stringAttribute(text: string, maxChars?: number): TextAttribute {
  return { DataType: 'String', StringValue: sqsAttributeText(text, maxChars) };
}

/** How SQS counts attributes toward the message size: name, data type and value, UTF-8. */
function attributesBytes(attributes: Record<string, TextAttribute>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}
