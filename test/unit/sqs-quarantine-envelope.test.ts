import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_ISSUES, quarantineEnvelope, sqsAttributeText, type QuarantineEnvelope } from '../../lambdas/platform/queues/sqs-quarantine';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambdas/platform/sqs-limits';
import type { QuarantinedMessage } from '../../lambdas/platform/queues/quarantine';

// What SQS accepts in a message (body and attribute values).
// eslint-disable-next-line no-control-regex
const SQS_TEXT = /^[\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const message = (body: string, issues: QuarantinedMessage['issues'] = [{ field: '(body)', rule: 'must be at most 16384 bytes' }]): QuarantinedMessage => ({
  source: 'purchases',
  sourceMessageId: 'msg-1',
  body,
  issues,
  receivedAt: '2026-11-25T12:00:00.000Z',
});
const read = (text: string) => JSON.parse(text) as QuarantineEnvelope;

describe('quarantineEnvelope', () => {
  it('keeps a body that fits whole, with its size and SHA-256', () => {
    // Act
    const envelope = read(quarantineEnvelope(message('{"schemaVersion":2}'), SQS_MAX_MESSAGE_BYTES));

    // Assess
    expect(envelope).toEqual({
      reason: 'INVALID_MESSAGE',
      source: 'purchases',
      sourceMessageId: 'msg-1',
      receivedAt: '2026-11-25T12:00:00.000Z',
      issues: [{ field: '(body)', rule: 'must be at most 16384 bytes' }],
      issueCount: 1,
      body: '{"schemaVersion":2}',
      bodyTruncated: false,
      bodyBytes: 19,
      bodySha256: sha256('{"schemaVersion":2}'),
    });
  });

  it.each([
    ['1 MiB of plain text', 'x'.repeat(SQS_MAX_MESSAGE_BYTES)],
    ['600 KB of quotes (each escapes to two bytes)', '"'.repeat(600_000)],
    ['control characters (each escapes to six bytes)', '\u0001'.repeat(200_000)],
    ['two- and three-byte characters', 'ü€'.repeat(300_000)],
  ])('cuts %s to the longest start that fits, with the whole body\'s size and hash', (_, body) => {
    // Prepare
    const limit = SQS_MAX_MESSAGE_BYTES - 2048;

    // Act
    const text = quarantineEnvelope(message(body), limit);

    // Assess
    const envelope = read(text);
    expect(bytes(text)).toBeLessThanOrEqual(limit);
    expect(bytes(text)).toBeGreaterThan(limit - 16); // the longest start: at most one escaped character short
    expect(envelope).toMatchObject({ bodyTruncated: true, bodyBytes: bytes(body), bodySha256: sha256(body) });
    expect(body.startsWith(envelope.body)).toBe(true);
    expect(envelope.issues).toEqual([{ field: '(body)', rule: 'must be at most 16384 bytes' }]);
  });

  it('never cuts a surrogate pair in half', () => {
    // Prepare: an emoji is two UTF-16 units, four bytes.
    const body = 'a' + '😀'.repeat(50_000);

    // Act
    const envelope = read(quarantineEnvelope(message(body), 100_001));

    // Assess
    expect(envelope.bodyTruncated).toBe(true);
    expect(envelope.body.isWellFormed()).toBe(true);
    expect(envelope.body.length % 2).toBe(1); // 'a' + whole pairs
  });

  it('lists at most 100 issues and cuts a producer\'s huge field name, saying how many there were', () => {
    // Prepare
    const issues = Array.from({ length: 5_000 }, (_, i) => ({ field: `k${i}${'x'.repeat(1_000)}`, rule: 'is not a field of purchase message v1' }));

    // Act
    const envelope = read(quarantineEnvelope(message('{}', issues), SQS_MAX_MESSAGE_BYTES));

    // Assess
    expect(envelope.issueCount).toBe(5_000);
    expect(envelope.issues).toHaveLength(MAX_ENVELOPE_ISSUES);
    expect(envelope.issues[0]!.field).toHaveLength(200);
  });

  it('escapes U+FFFE and U+FFFF, which SQS refuses and JSON.stringify leaves raw', () => {
    // Act
    const text = quarantineEnvelope(message('{}', [{ field: 'a\uffffb\ufffe', rule: 'is not a field of purchase message v1' }]), SQS_MAX_MESSAGE_BYTES);

    // Assess
    expect(SQS_TEXT.test(text)).toBe(true);
    expect(read(text).issues[0]!.field).toBe('a\uffffb\ufffe');
  });

  it('fits any body and any field name in the limit as text SQS accepts (property)', () => {
    const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\u0000', '\ud800', '\udfff', '\uffff', '😀'), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp))), maxLength: 3_000 });
    fc.assert(
      fc.property(anyText, anyText, fc.integer({ min: 1_200, max: 6_000 }), (body, field, limit) => {
        // Act
        const text = quarantineEnvelope(message(body, [{ field, rule: 'is not a field of purchase message v1' }]), limit);

        // Assess
        const envelope = read(text);
        expect(bytes(text)).toBeLessThanOrEqual(limit);
        expect(SQS_TEXT.test(text)).toBe(true);
        expect(body.startsWith(envelope.body)).toBe(true);
        expect(envelope.bodySha256).toBe(sha256(body));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sqsAttributeText', () => {
  it.each([
    ['control characters', 'a\u0000b\u001fc', 'a\ufffdb\ufffdc'],
    ['a lone surrogate', 'x\ud800y\udfff', 'x\ufffdy\ufffd'],
    ['U+FFFE and U+FFFF', '\ufffe\uffff', '\ufffd\ufffd'],
    ['tab, newline and carriage return (allowed)', 'a\tb\nc\r', 'a\tb\nc\r'],
    ['an emoji and U+202E (allowed)', '😀\u202e', '😀\u202e'],
    ['nothing', '', '(none)'],
  ])('keeps only what SQS accepts: %s', (_, text, expected) => {
    expect(sqsAttributeText(text)).toBe(expected);
  });

  it('cuts at the limit without splitting a surrogate pair', () => {
    expect(sqsAttributeText('ab😀', 3)).toBe('ab');
    expect(sqsAttributeText('ab😀', 4)).toBe('ab😀');
  });
});
