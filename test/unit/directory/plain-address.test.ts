import { regexes } from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import { HTML5_EMAIL, isPlainAddress, MAX_ADDRESS_LENGTH } from '../../../lambdas/directory/plain-address';

describe('isPlainAddress', () => {
  it("checks with zod's html5Email pattern, written out so bundles need not carry all of zod's regexes", () => {
    expect(HTML5_EMAIL.source).toBe(regexes.html5Email.source);
    expect(HTML5_EMAIL.flags).toBe(regexes.html5Email.flags);
  });

  it('takes one plain address and nothing SES could read as more than one recipient or a header', () => {
    expect(isPlainAddress('ann@example.com')).toBe(true);
    expect(isPlainAddress('ann.o+gifts@xn--mnchen-3ya.example')).toBe(true);
    for (const bad of ['a@x.example, evil@evil.example', 'Ann <ann@example.com>', 'ann@example.com\r\nBcc: e@evil.example', ' ann@example.com', '"ann"@example.com', 'ann@[127.0.0.1]', 'ann@exämple.com', 'ann']) {
      expect(isPlainAddress(bad), bad).toBe(false);
    }
  });

  it("keeps RFC 5321's limits: a local part of at most 64 octets, an address of at most 254", () => {
    expect(isPlainAddress(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(isPlainAddress(`${'a'.repeat(65)}@example.com`)).toBe(false);
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.example`;
    const longest = `${'a'.repeat(MAX_ADDRESS_LENGTH - domain.length - 1)}@${domain}`;
    expect(longest).toHaveLength(MAX_ADDRESS_LENGTH);
    expect(isPlainAddress(longest)).toBe(true);
    expect(isPlainAddress(`a${longest}`)).toBe(false);
  });
});
