import { describe, expect, it } from 'vitest';
import { noticeIdForImport, parseSendLogLine, senderForSource } from '../../../lambdas/audit/send-log-line';

const valid = {
  source: 'legacy-crm',
  sourceNoticeId: 'n-1',
  sentAt: '2025-03-01T10:00:00+01:00',
  recipientAddress: 'zoe@example.org',
  registryId: 'reg-ann',
  purchaseId: 'p-1',
};

describe('parseSendLogLine', () => {
  it('accepts a complete line', () => {
    const result = parseSendLogLine(JSON.stringify({ ...valid, eventId: 'e-1', template: 'gift', locale: 'de-AT' }), 1);
    expect(result.ok).toBe(true);
  });

  it('names the line, the field and the rule of each broken rule', () => {
    // Act
    const result = parseSendLogLine(JSON.stringify({ ...valid, sentAt: 'yesterday', recipientAddress: 'nobody' }), 7);

    // Assess
    expect(result).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { line: 7, field: 'sentAt', rule: 'must be an RFC 3339 date-time with a time zone' },
        { line: 7, field: 'recipientAddress', rule: 'must be an email address' },
      ]),
    });
  });

  it('trims a padded address, as the format promises', () => {
    // Act
    const result = parseSendLogLine(JSON.stringify({ ...valid, recipientAddress: ' \tzoe@example.org\r\n' }), 1);

    // Assess
    expect(result).toMatchObject({ ok: true, notice: { recipientAddress: 'zoe@example.org' } });
  });

  it.each([
    ['two addresses', 'zoe@example.org, evil@evil.example'],
    ['a display name', 'Zoe <zoe@example.org>'],
    ['a header after CR/LF', 'zoe@example.org\r\nBcc: evil@evil.example'],
    ['a space inside', 'zoe @example.org'],
    ['two @', 'zoe@evil.example@example.org'],
  ])('refuses %s in recipientAddress', (_what, recipientAddress) => {
    expect(parseSendLogLine(JSON.stringify({ ...valid, recipientAddress }), 9)).toEqual({
      ok: false,
      issues: [{ line: 9, field: 'recipientAddress', rule: 'must be an email address' }],
    });
  });

  it('reports a missing field as required', () => {
    const { sourceNoticeId: _omit, ...rest } = valid;
    expect(parseSendLogLine(JSON.stringify(rest), 2)).toEqual({ ok: false, issues: [{ line: 2, field: 'sourceNoticeId', rule: 'is required' }] });
  });

  it('needs a purchase id or an event id', () => {
    const { purchaseId: _omit, ...rest } = valid;
    const result = parseSendLogLine(JSON.stringify(rest), 3);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.field).toBe('purchaseId');
  });

  it('refuses unknown fields by name', () => {
    expect(parseSendLogLine(JSON.stringify({ ...valid, password: 'x' }), 4)).toEqual({
      ok: false,
      issues: [{ line: 4, field: 'password', rule: 'is not a field of send log v1' }],
    });
  });

  it('refuses a line that is not JSON', () => {
    expect(parseSendLogLine('{oops', 5)).toEqual({ ok: false, issues: [{ line: 5, field: '(line)', rule: 'must be valid JSON' }] });
  });

  it('refuses our own name as a source', () => {
    expect(parseSendLogLine(JSON.stringify({ ...valid, source: 'registry-notices' }), 6).ok).toBe(false);
  });

  it('builds the ledger key and sender of an imported notice', () => {
    expect(noticeIdForImport('legacy-crm', 'n-1')).toBe('imp#legacy-crm#n-1');
    expect(senderForSource('legacy-crm')).toBe('import:legacy-crm');
  });
});
