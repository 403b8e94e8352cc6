import { describe, expect, it, vi } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { unsubscribeBaseProblem, UnsubscribeLinks } from '../../../lambdas/mail/unsubscribe/unsubscribe-links';
import {
  issueUnsubscribeToken,
  issueV1UnsubscribeToken,
  MAX_TOKEN_LENGTH,
  readUnsubscribeToken,
  tokenExpiry,
  type UnsubscribeClaims,
} from '../../../lambdas/mail/unsubscribe/unsubscribe-token';
import { testMacKey } from '../../helpers/test-mac-key';
import { testTokenSeal } from '../../helpers/test-token-seal';

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
/** The link key and the seal of one stack, and the reader of its tokens. */
const stackKeys = () => {
  const key = testMacKey();
  const seal = testTokenSeal();
  return {
    key,
    seal,
    issue: (c: UnsubscribeClaims = claims()) => issueUnsubscribeToken(c, key.generate, seal.seal),
    read: (token: string, verify = key.verify, now = NOW) => readUnsubscribeToken(token, verify, now, seal.source),
  };
};
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Flips one bit of a base64url segment's bytes, keeping it canonical base64url. */
const flipBit = (text: string, byte: number): string => {
  const bytes = Buffer.from(text, 'base64url');
  bytes[byte]! ^= 1;
  return bytes.toString('base64url');
};

describe('unsubscribe tokens v1 (links sent before v2, still read until they expire)', () => {
  it('read back exactly the claims they were issued with, for a registry and for all mail, without deriving the seal', async () => {
    // Prepare
    const key = testMacKey();
    const seal = testTokenSeal();

    // Act
    const forRegistry = await readUnsubscribeToken(await issueV1UnsubscribeToken(claims(), key.generate), key.verify, NOW, seal.source);
    const forAll = await readUnsubscribeToken(await issueV1UnsubscribeToken(claims({ scope: { kind: 'ALL' }, locale: 'en' }), key.generate), key.verify, NOW, seal.source);

    // Assess
    expect(forRegistry).toEqual({ ok: true, claims: claims() });
    expect(forAll).toEqual({ ok: true, claims: claims({ scope: { kind: 'ALL' }, locale: 'en' }) });
    expect(seal.source.calls).toBe(0);
  });

  it('are URL-safe as they are, and short enough for a header', async () => {
    // Act
    const token = await issueV1UnsubscribeToken(claims({ scope: { kind: 'REGISTRY', registryId: 'r'.repeat(128) } }), testMacKey().generate);

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
  });

  it('refuse a changed payload (another address, a wider scope) as a bad MAC', async () => {
    // Prepare
    const key = testMacKey();
    const [, mac] = (await issueV1UnsubscribeToken(claims(), key.generate)).split('.');
    const other = segment({ v: 1, a: addressHash('bob@example.com'), s: 'registry', r: 'reg-ann.2:x', e: claims().expiresAt, l: 'de' });
    const wider = segment({ v: 1, a: claims().addressHash, s: 'all', e: claims().expiresAt, l: 'de' });

    // Act
    const readings = await Promise.all([`${other}.${mac}`, `${wider}.${mac}`].map((t) => readUnsubscribeToken(t, key.verify, NOW, testTokenSeal().source)));

    // Assess
    expect(readings).toEqual([
      { ok: false, refusal: 'BAD_MAC' },
      { ok: false, refusal: 'BAD_MAC' },
    ]);
  });

  it('refuse a token signed with another key, and a changed MAC', async () => {
    // Prepare
    const key = testMacKey();
    const forged = await issueV1UnsubscribeToken(claims(), testMacKey().generate);
    const genuine = await issueV1UnsubscribeToken(claims(), key.generate);
    const flipped = genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BA' : 'AA');

    // Act
    const readings = await Promise.all([forged, flipped].map((t) => readUnsubscribeToken(t, key.verify, NOW, testTokenSeal().source)));

    // Assess
    expect(readings.map((r) => r.ok)).toEqual([false, false]);
  });

  it('refuse an expired token without asking the key', async () => {
    // Prepare
    const key = testMacKey();
    const verify = vi.fn(key.verify);
    const token = await issueV1UnsubscribeToken(claims({ expiresAt: tokenExpiry(NOW, 30) }), key.generate);

    // Act
    const reading = await readUnsubscribeToken(token, verify, new Date(NOW.getTime() + 30 * 86_400_000), testTokenSeal().source);

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
    const reading = await readUnsubscribeToken(token, verify, NOW, testTokenSeal().source);

    // Assess
    expect(reading).toEqual({ ok: false, refusal: 'MALFORMED' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('will not issue a token for claims it could not read back', async () => {
    // Act
    const act = issueV1UnsubscribeToken(claims({ scope: { kind: 'REGISTRY', registryId: 'has space' } }), testMacKey().generate);

    // Assess
    await expect(act).rejects.toThrow(TypeError);
  });
});

describe('unsubscribe tokens v2 (opaque: sealed claims, then the MAC)', () => {
  it('read back exactly the claims they were issued with, for a registry and for all mail', async () => {
    // Prepare
    const { issue, read } = stackKeys();

    // Act
    const forRegistry = await read(await issue());
    const forAll = await read(await issue(claims({ scope: { kind: 'ALL' }, locale: 'en' })));

    // Assess
    expect(forRegistry).toEqual({ ok: true, claims: claims() });
    expect(forAll).toEqual({ ok: true, claims: claims({ scope: { kind: 'ALL' }, locale: 'en' }) });
  });

  it('reveal no address hash, registry id, language or expiry in any decoding of any part', async () => {
    // Prepare: claims whose every value is long enough to be found if it were there.
    const { issue } = stackKeys();
    const secret = claims({ scope: { kind: 'REGISTRY', registryId: 'reg-findable-7f3a9c' }, locale: 'de' });
    const hashBytes = Buffer.from(secret.addressHash, 'hex');

    // Act
    const token = await issue(secret);

    // Assess: the token, each segment, and each segment's bytes as UTF-8, Latin-1, hex and base64.
    const decodings = [token, ...token.split('.')].flatMap((part) => {
      const bytes = Buffer.from(part, 'base64url');
      return [part, bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('hex'), bytes.toString('base64')];
    });
    const needles = [secret.addressHash, hashBytes.toString('base64url'), hashBytes.toString('base64').slice(0, 40), 'reg-findable-7f3a9c', String(secret.expiresAt), '"l":', 'registry'];
    for (const needle of needles) expect(decodings.filter((d) => d.toLowerCase().includes(needle.toLowerCase())), needle).toEqual([]);
    expect(Buffer.from(token.split('.')[1]!, 'base64url').includes(hashBytes)).toBe(false);
  });

  it('all have one length, whatever the scope and the registry id, under 600 characters and URL-safe; two of the same claims differ', async () => {
    // Prepare
    const { issue } = stackKeys();

    // Act
    const tokens = await Promise.all([
      issue(claims({ scope: { kind: 'ALL' } })),
      issue(claims({ scope: { kind: 'REGISTRY', registryId: 'r' } })),
      issue(claims({ scope: { kind: 'REGISTRY', registryId: 'r'.repeat(128) } })),
      issue(),
      issue(),
    ]);

    // Assess
    expect(new Set(tokens.map((t) => t.length))).toEqual(new Set([426]));
    expect(426).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    for (const t of tokens) expect(t).toMatch(/^v2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(tokens[3]).not.toBe(tokens[4]);
  });

  it('refuse a changed sealed byte, and claims sealed with another seal key, in memory: no MAC check', async () => {
    // Prepare
    const { key, issue, read } = stackKeys();
    const verify = vi.fn(key.verify);
    const [, sealed, mac] = (await issue()).split('.');
    const otherStack = stackKeys();
    const [, foreignSealed] = (await otherStack.issue()).split('.');

    // Act: a bit flipped in the IV, in the ciphertext, in the tag; another stack's sealed claims under our MAC.
    const readings = await Promise.all(
      [flipBit(sealed!, 0), flipBit(sealed!, 40), flipBit(sealed!, 283), foreignSealed!].map((s) => read(`v2.${s}.${mac}`, verify)),
    );

    // Assess
    expect(readings).toEqual(Array.from({ length: 4 }, () => ({ ok: false, refusal: 'BAD_SEAL' })));
    expect(verify).not.toHaveBeenCalled();
  });

  it("refuse sealed claims that open but carry another token's MAC, or a MAC of another link key (what a holder of the seal alone could make)", async () => {
    // Prepare
    const { key, seal, issue, read } = stackKeys();
    const [, annSealed] = (await issue()).split('.');
    const [, , bobMac] = (await issue(claims({ addressHash: addressHash('bob@example.com'), scope: { kind: 'ALL' } }))).split('.');
    const sealOnly = await issueUnsubscribeToken(claims({ scope: { kind: 'ALL' } }), testMacKey().generate, seal.seal);
    const verify = vi.fn(key.verify);

    // Act
    const readings = await Promise.all([`v2.${annSealed}.${bobMac}`, sealOnly].map((t) => read(t, verify)));

    // Assess
    expect(readings).toEqual([
      { ok: false, refusal: 'BAD_MAC' },
      { ok: false, refusal: 'BAD_MAC' },
    ]);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('refuse an expired token without asking the link key', async () => {
    // Prepare
    const { key, issue, read } = stackKeys();
    const verify = vi.fn(key.verify);
    const token = await issue(claims({ expiresAt: tokenExpiry(NOW, 30) }));

    // Act
    const reading = await read(token, verify, new Date(NOW.getTime() + 30 * 86_400_000));

    // Assess
    expect(reading).toEqual({ ok: false, refusal: 'EXPIRED' });
    expect(verify).not.toHaveBeenCalled();
  });

  it.each([
    ['a v2 token without its MAC', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['another version', (t: string) => t.replace(/^v2\./, 'v3.')],
    ['a shorter sealed segment', (t: string) => t.replace(/^v2\.[A-Za-z0-9_-]{4}/, 'v2.')],
    ['a non-canonical sealed segment (a padding bit set: the same bytes, spelled otherwise)', (t: string) => {
      const [v, sealed, mac] = t.split('.');
      const last = BASE64URL_ALPHABET.indexOf(sealed!.at(-1)!);
      return `${v}.${sealed!.slice(0, -1)}${BASE64URL_ALPHABET[last | 1]}.${mac}`;
    }],
    ['a fourth segment', (t: string) => `${t}.AAAA`],
  ])('refuse %s as malformed without the MAC check', async (_what, change) => {
    // Prepare
    const { issue, read } = stackKeys();
    const verify = vi.fn(async () => true);

    // Act
    const reading = await read(change(await issue()), verify);

    // Assess
    expect(reading).toEqual({ ok: false, refusal: 'MALFORMED' });
    expect(verify).not.toHaveBeenCalled();
  });
});

describe('UnsubscribeLinks', () => {
  it('puts a v2 token in the query of the base URL, which stays as it was', async () => {
    // Prepare
    const { key, seal, read } = stackKeys();
    const links = new UnsubscribeLinks({ baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', validityDays: 90, generateMac: key.generate, seal: seal.source, now: () => NOW });

    // Act
    const link = new URL(await links.link({ addressHash: claims().addressHash, scope: { kind: 'ALL' }, locale: 'en' }));

    // Assess
    expect(`${link.origin}${link.pathname}`).toBe('https://abc.lambda-url.eu-west-1.on.aws/');
    expect(link.searchParams.get('token')).toMatch(/^v2\./);
    const reading = await read(link.searchParams.get('token')!);
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
