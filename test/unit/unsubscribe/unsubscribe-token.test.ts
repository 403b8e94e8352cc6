import { describe, expect, it, vi } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { unsubscribeBaseProblem, UnsubscribeLinks } from '../../../lambdas/mail/unsubscribe/unsubscribe-links';
import {
  issueUnsubscribeToken,
  MAX_TOKEN_LENGTH,
  readUnsubscribeToken,
  tokenExpiry,
  type UnsubscribeClaims,
} from '../../../lambdas/mail/unsubscribe/unsubscribe-token';
import { testMacKey } from '../../helpers/test-mac-key';

const NOW = new Date('2026-03-01T10:00:00Z');
const claims = (overrides: Partial<UnsubscribeClaims> = {}): UnsubscribeClaims => ({
  addressHash: addressHash('ann@example.com'),
  scope: { kind: 'REGISTRY', registryId: 'reg-ann.2:x' },
  locale: 'de',
  expiresAt: tokenExpiry(NOW, 90),
  ...overrides,
});
/** A payload segment as a forger would write it, with whatever JSON they like. */
const segment = (payload: unknown): string => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('unsubscribe tokens', () => {
  it('read back exactly the claims they were issued with, for a registry and for all mail', async () => {
    // Prepare
    const key = testMacKey();

    // Act
    const forRegistry = await readUnsubscribeToken(await issueUnsubscribeToken(claims(), key.generate), key.verify, NOW);
    const forAll = await readUnsubscribeToken(await issueUnsubscribeToken(claims({ scope: { kind: 'ALL' }, locale: 'en' }), key.generate), key.verify, NOW);

    // Assess
    expect(forRegistry).toEqual({ ok: true, claims: claims() });
    expect(forAll).toEqual({ ok: true, claims: claims({ scope: { kind: 'ALL' }, locale: 'en' }) });
  });

  it('are URL-safe as they are, and short enough for a header', async () => {
    // Act
    const token = await issueUnsubscribeToken(claims({ scope: { kind: 'REGISTRY', registryId: 'r'.repeat(128) } }), testMacKey().generate);

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
  });

  it('refuse a changed payload (another address, a wider scope) as a bad MAC', async () => {
    // Prepare
    const key = testMacKey();
    const [, mac] = (await issueUnsubscribeToken(claims(), key.generate)).split('.');
    const other = segment({ v: 1, a: addressHash('bob@example.com'), s: 'registry', r: 'reg-ann.2:x', e: claims().expiresAt, l: 'de' });
    const wider = segment({ v: 1, a: claims().addressHash, s: 'all', e: claims().expiresAt, l: 'de' });

    // Act
    const readings = await Promise.all([`${other}.${mac}`, `${wider}.${mac}`].map((t) => readUnsubscribeToken(t, key.verify, NOW)));

    // Assess
    expect(readings).toEqual([
      { ok: false, refusal: 'BAD_MAC' },
      { ok: false, refusal: 'BAD_MAC' },
    ]);
  });

  it('refuse a token signed with another key, and a changed MAC', async () => {
    // Prepare
    const key = testMacKey();
    const forged = await issueUnsubscribeToken(claims(), testMacKey().generate);
    const genuine = await issueUnsubscribeToken(claims(), key.generate);
    const flipped = genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BA' : 'AA');

    // Act
    const readings = await Promise.all([forged, flipped].map((t) => readUnsubscribeToken(t, key.verify, NOW)));

    // Assess
    expect(readings.map((r) => r.ok)).toEqual([false, false]);
  });

  it('refuse an expired token without asking the key', async () => {
    // Prepare
    const key = testMacKey();
    const verify = vi.fn(key.verify);
    const token = await issueUnsubscribeToken(claims({ expiresAt: tokenExpiry(NOW, 30) }), key.generate);

    // Act
    const reading = await readUnsubscribeToken(token, verify, new Date(NOW.getTime() + 30 * 86_400_000));

    // Assess
    expect(reading).toEqual({ ok: false, refusal: 'EXPIRED' });
    expect(verify).not.toHaveBeenCalled();
  });

  it.each([
    ['empty', ''],
    ['no MAC', segment({ v: 1 })],
    ['three parts', 'a.b.c'],
    ['not base64url', 'ab+c/.def'],
    ['not JSON', `${Buffer.from('hello').toString('base64url')}.${'A'.repeat(43)}`],
    ['an unknown field', `${segment({ v: 1, a: 'a'.repeat(64), s: 'all', e: 2e9, l: 'en', admin: true })}.${'A'.repeat(43)}`],
    ['a registry scope without a registry', `${segment({ v: 1, a: 'a'.repeat(64), s: 'registry', e: 2e9, l: 'en' })}.${'A'.repeat(43)}`],
    ['an upper-case hash', `${segment({ v: 1, a: 'A'.repeat(64), s: 'all', e: 2e9, l: 'en' })}.${'A'.repeat(43)}`],
    ['another version', `${segment({ v: 2, a: 'a'.repeat(64), s: 'all', e: 2e9, l: 'en' })}.${'A'.repeat(43)}`],
    ['a short MAC', `${segment({ v: 1, a: 'a'.repeat(64), s: 'all', e: 2e9, l: 'en' })}.${'A'.repeat(20)}`],
    ['too long', 'A'.repeat(MAX_TOKEN_LENGTH + 1)],
  ])('refuse %s as malformed without asking the key', async (_what, token) => {
    // Prepare
    const verify = vi.fn(async () => true);

    // Act
    const reading = await readUnsubscribeToken(token, verify, NOW);

    // Assess
    expect(reading).toEqual({ ok: false, refusal: 'MALFORMED' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('will not issue a token for claims it could not read back', async () => {
    // Act
    const act = issueUnsubscribeToken(claims({ scope: { kind: 'REGISTRY', registryId: 'has space' } }), testMacKey().generate);

    // Assess
    await expect(act).rejects.toThrow(TypeError);
  });
});

describe('UnsubscribeLinks', () => {
  it('puts the token in the query of the base URL, which stays as it was', async () => {
    // Prepare
    const key = testMacKey();
    const links = new UnsubscribeLinks({ baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', validityDays: 90, generateMac: key.generate, now: () => NOW });

    // Act
    const link = new URL(await links.link({ addressHash: claims().addressHash, scope: { kind: 'ALL' }, locale: 'en' }));

    // Assess
    expect(`${link.origin}${link.pathname}`).toBe('https://abc.lambda-url.eu-west-1.on.aws/');
    const reading = await readUnsubscribeToken(link.searchParams.get('token')!, key.verify, NOW);
    expect(reading).toMatchObject({ ok: true, claims: { expiresAt: tokenExpiry(NOW, 90) } });
  });

  it.each([
    ['https://u.example/', undefined],
    ['http://127.0.0.1:9001/', undefined],
    ['http://u.example/', /https/],
    ['https://u.example/?a=1', /query/],
    ['https://user:pw@u.example/', /credentials/],
    ['not a url', /absolute/],
  ])('accepts %s as a base only when it is https (or loopback http)', (base, problem) => {
    // Act
    const found = unsubscribeBaseProblem(base);

    // Assess
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});
