import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidEventError, KeyUnavailableError } from '../../../lambdas/platform/function-errors';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { languageFromAcceptLanguage, renderUnsubscribePage } from '../../../lambdas/mail/render/unsubscribe-page';
import { issueUnsubscribeToken, issueV1UnsubscribeToken, tokenExpiry, type UnsubscribeClaims } from '../../../lambdas/mail/unsubscribe/unsubscribe-token';
import { parseEvent } from '../../../lambdas/platform/middleware/event-validation';
import type { Unsubscribe } from '../../../lambdas/mail/ports/unsubscribes';
import { answerUnsubscribe, type UnsubscribeDeps } from '../../../lambdas/mail/unsubscribe/endpoint/answer-unsubscribe';
import { UNSUBSCRIBE_REQUEST_FIELDS, unsubscribeRequestSchema, type UnsubscribeRequest } from '../../../lambdas/mail/unsubscribe/endpoint/unsubscribe-request';
import { testMacKey } from '../../helpers/test-mac-key';
import { testTokenSeal } from '../../helpers/test-token-seal';
import { DEFAULT_VERIFY_BUDGET, VerifyBudget } from '../../../lambdas/mail/unsubscribe/verify-budget';

const NOW = new Date('2026-03-01T10:00:00Z');
const ANN = addressHash('ann@example.com');
const BOB = addressHash('bob@example.com');

function endpoint(options: { mailed?: readonly string[] } = {}) {
  const key = testMacKey();
  const seal = testTokenSeal();
  const recorded: Unsubscribe[] = [];
  // What the endpoint asks, counted: the key's checks (KMS VerifyMac) and the ledger's.
  const calls = { verify: 0, mailed: 0 };
  let clock = NOW.getTime();
  const mailed = new Set(options.mailed ?? [ANN, BOB]);
  const deps: UnsubscribeDeps = {
    key: {
      verify: async (message, mac) => {
        calls.verify += 1;
        return key.verify(message, mac);
      },
    },
    mailed: {
      wasMailed: async (hash) => {
        calls.mailed += 1;
        return mailed.has(hash);
      },
    },
    seal: seal.source,
    budget: new VerifyBudget(DEFAULT_VERIFY_BUDGET, () => clock),
    unsubscribes: {
      record: async (u) => {
        const key = (x: Unsubscribe) => `${x.addressHash} ${JSON.stringify(x.scope)}`;
        if (recorded.some((r) => key(r) === key(u))) return 'ALREADY';
        recorded.push(u);
        return 'RECORDED';
      },
    },
    now: () => new Date(clock),
  };
  const claimsOf = (claims: Partial<UnsubscribeClaims>): UnsubscribeClaims => ({
    addressHash: ANN,
    scope: { kind: 'REGISTRY', registryId: 'reg-ann' },
    locale: 'de',
    expiresAt: tokenExpiry(NOW, 90),
    ...claims,
  });
  /** A link as a sender makes it now (v2). */
  const token = (claims: Partial<UnsubscribeClaims> = {}) => issueUnsubscribeToken(claimsOf(claims), key.generate, seal.seal);
  /** A link sent before v2, still in a mailbox. */
  const v1Token = (claims: Partial<UnsubscribeClaims> = {}) => issueV1UnsubscribeToken(claimsOf(claims), key.generate);
  /** A v2 token of the right shape and length, sealed and signed by no key of ours (a forger's). */
  const forgedV2 = (): string => `v2.${randomBytes(284).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
  /** A v1 token of the right shape whose MAC is not ours (a forger's). */
  const forged = (hash: string): string => {
    const payload = Buffer.from(JSON.stringify({ v: 1, a: hash, s: 'all', e: tokenExpiry(NOW, 90), l: 'en' })).toString('base64url');
    return `${payload}.${randomBytes(32).toString('base64url')}`;
  };
  const advance = (ms: number): void => {
    clock += ms;
  };
  return { deps, recorded, token, v1Token, forged, forgedV2, seal, calls, advance };
}

const request = (overrides: Partial<UnsubscribeRequest> & { token: string }): UnsubscribeRequest => ({
  method: 'POST',
  allMail: false,
  via: 'ONE_CLICK',
  language: 'en',
  ...overrides,
});

/** A function URL event (payload 2.0) as Lambda builds it. */
const urlEvent = (overrides: Partial<APIGatewayProxyEventV2> & { method?: string } = {}): unknown => {
  const { method = 'POST', ...rest } = overrides;
  return {
    version: '2.0',
    rawPath: '/',
    rawQueryString: 'token=abc',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE,de;q=0.9' },
    queryStringParameters: { token: 'abc' },
    requestContext: { http: { method, path: '/', sourceIp: '203.0.113.9' } },
    body: 'List-Unsubscribe=One-Click',
    isBase64Encoded: false,
    ...rest,
  };
};
const parse = (event: unknown) => parseEvent(event, { schema: unsubscribeRequestSchema, rootField: '(request)', knownFields: UNSUBSCRIBE_REQUEST_FIELDS });

describe('the unsubscribe endpoint (answerUnsubscribe)', () => {
  it('shows the confirmation page on GET, in the link\'s language, and records nothing', async () => {
    // Prepare
    const { deps, recorded, token } = endpoint();

    // Act
    const answer = await answerUnsubscribe(request({ method: 'GET', token: await token() }), deps);

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, locale: 'de', page: { kind: 'CONFIRM' }, outcome: { kind: 'CONFIRMATION_SHOWN' } });
    expect(recorded).toEqual([]);
  });

  it("records the link's scope on POST once; a second POST changes nothing", async () => {
    // Prepare
    const { deps, recorded, token } = endpoint();
    const t = await token();

    // Act
    const first = await answerUnsubscribe(request({ token: t }), deps);
    const second = await answerUnsubscribe(request({ token: t }), deps);

    // Assess
    expect([first.outcome.kind, second.outcome.kind]).toEqual(['RECORDED', 'ALREADY']);
    expect(second).toMatchObject({ statusCode: 200, page: { kind: 'DONE' } });
    expect(recorded).toEqual([{ addressHash: ANN, scope: { kind: 'REGISTRY', registryId: 'reg-ann' }, at: NOW.toISOString(), via: 'ONE_CLICK' }]);
  });

  it("widens to all mail when the page's second button asks for it", async () => {
    // Prepare
    const { deps, recorded, token } = endpoint();

    // Act
    await answerUnsubscribe(request({ token: await token(), allMail: true, via: 'PAGE' }), deps);

    // Assess
    expect(recorded).toMatchObject([{ addressHash: ANN, scope: { kind: 'ALL' }, via: 'PAGE' }]);
  });

  it('answers a tampered or expired link (v1) with the same 400 page in the browser\'s language, and records nothing', async () => {
    // Prepare
    const { deps, recorded, v1Token: token } = endpoint();
    const genuine = await token();
    const [payload, mac] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, a: addressHash('bob@example.com') })).toString('base64url')}.${mac}`;
    const expired = await token({ expiresAt: Math.floor(NOW.getTime() / 1000) - 1 });

    // Act
    const answers = await Promise.all([tampered, expired, 'garbage'].map((t) => answerUnsubscribe(request({ token: t, language: 'de' }), deps)));

    // Assess
    expect(answers.map((a) => [a.statusCode, a.page.kind, a.locale])).toEqual([
      [400, 'INVALID_LINK', 'de'],
      [400, 'INVALID_LINK', 'de'],
      [400, 'INVALID_LINK', 'de'],
    ]);
    expect(answers.map((a) => a.outcome)).toEqual([
      { kind: 'REFUSED', refusal: 'BAD_MAC' },
      { kind: 'REFUSED', refusal: 'EXPIRED' },
      { kind: 'REFUSED', refusal: 'MALFORMED' },
    ]);
    expect(recorded).toEqual([]);
  });

  it('answers a tampered, forged or expired v2 link with the same 400 page on GET and POST, asking neither the key nor the ledger', async () => {
    // Prepare
    const { deps, recorded, token, forgedV2, calls } = endpoint();
    const [, sealed, mac] = (await token()).split('.');
    const bytes = Buffer.from(sealed!, 'base64url');
    bytes[100]! ^= 1;
    const tampered = `v2.${bytes.toString('base64url')}.${mac}`;
    const expired = await token({ expiresAt: Math.floor(NOW.getTime() / 1000) - 1 });

    // Act
    const answers = await Promise.all(
      [tampered, forgedV2(), expired].flatMap((t) => (['GET', 'POST'] as const).map((method) => answerUnsubscribe(request({ method, token: t, language: 'de' }), deps))),
    );

    // Assess
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.page.kind} ${a.locale}`))).toEqual(new Set(['400 INVALID_LINK de']));
    expect(answers.map((a) => a.outcome)).toEqual([
      { kind: 'REFUSED', refusal: 'BAD_SEAL' },
      { kind: 'REFUSED', refusal: 'BAD_SEAL' },
      { kind: 'REFUSED', refusal: 'BAD_SEAL' },
      { kind: 'REFUSED', refusal: 'BAD_SEAL' },
      { kind: 'REFUSED', refusal: 'EXPIRED' },
      { kind: 'REFUSED', refusal: 'EXPIRED' },
    ]);
    expect(calls).toEqual({ verify: 0, mailed: 0 });
    expect(recorded).toEqual([]);
  });

  it('still reads a v1 link from before v2: its GET shows the page in its language, its POST records, without deriving the seal', async () => {
    // Prepare
    const { deps, recorded, v1Token, seal } = endpoint();
    const old = await v1Token({ locale: 'de' });

    // Act
    const page = await answerUnsubscribe(request({ method: 'GET', token: old }), deps);
    const post = await answerUnsubscribe(request({ token: old }), deps);

    // Assess
    expect(page).toMatchObject({ statusCode: 200, locale: 'de', page: { kind: 'CONFIRM', token: old } });
    expect(post).toMatchObject({ statusCode: 200, locale: 'de', outcome: { kind: 'RECORDED' } });
    expect(recorded).toMatchObject([{ addressHash: ANN, scope: { kind: 'REGISTRY', registryId: 'reg-ann' } }]);
    expect(seal.source.calls).toBe(0);
  });

  it('opens a v2 link on GET with the seal alone: the page in its language, no key check, no ledger read', async () => {
    // Prepare
    const { deps, token, calls } = endpoint();
    const t = await token({ locale: 'de', scope: { kind: 'ALL' } });

    // Act
    const answer = await answerUnsubscribe(request({ method: 'GET', token: t, language: 'en' }), deps);

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, locale: 'de', page: { kind: 'CONFIRM', scope: { kind: 'ALL' }, token: t } });
    expect(calls).toEqual({ verify: 0, mailed: 0 });
  });

  it('throws KeyUnavailableError (the handler answers it with the 503 try-later page) and records nothing while the seal cannot be derived', async () => {
    // Prepare
    const { deps, recorded, token } = endpoint();
    const t = await token();
    const unavailable = { ...deps, seal: async () => Promise.reject(new KeyUnavailableError('KMS GenerateMac failed')) };

    // Act
    const act = answerUnsubscribe(request({ token: t }), unavailable);

    // Assess
    await expect(act).rejects.toThrow(KeyUnavailableError);
    expect(recorded).toEqual([]);
  });

  it('answers a v1 GET without asking the key or the ledger: a forged v1 token gets the page, and its POST is refused', async () => {
    // Prepare
    const { deps, recorded, forged, calls } = endpoint();
    const token = forged(ANN);

    // Act
    const page = await answerUnsubscribe(request({ method: 'GET', token }), deps);
    const callsAfterGet = { ...calls };
    const post = await answerUnsubscribe(request({ token, allMail: true, via: 'PAGE' }), deps);

    // Assess
    expect(page).toMatchObject({ statusCode: 200, page: { kind: 'CONFIRM' } });
    expect(callsAfterGet).toEqual({ verify: 0, mailed: 0 });
    expect(post.outcome).toEqual({ kind: 'REFUSED', refusal: 'BAD_MAC' });
    expect(recorded).toEqual([]);
  });

  it('refuses a token for an address we never mailed before asking the key', async () => {
    // Prepare
    const { deps, forged, calls } = endpoint();

    // Act
    const answer = await answerUnsubscribe(request({ token: forged(addressHash('stranger@example.com')) }), deps);

    // Assess
    expect(answer).toMatchObject({ statusCode: 400, page: { kind: 'INVALID_LINK' }, outcome: { kind: 'REFUSED', refusal: 'NOT_MAILED' } });
    expect(calls).toEqual({ verify: 0, mailed: 1 });
  });

  it("never widens a mail client's one-click POST of a registry's link to all mail (only the page's button does)", async () => {
    // Prepare
    const { deps, recorded, token } = endpoint();

    // Act
    await answerUnsubscribe(request({ token: await token(), allMail: true, via: 'ONE_CLICK' }), deps);

    // Assess
    expect(recorded).toMatchObject([{ scope: { kind: 'REGISTRY', registryId: 'reg-ann' }, via: 'ONE_CLICK' }]);
  });

  it("keeps a flood of junk from starving others' unsubscribes: junk for strangers costs no key check, junk for one mailed address at most its own few", async () => {
    // Prepare: ann's and bob's genuine links, and 3,000 forged tokens (1,900 v1 for strangers,
    // 100 v1 for bob, whose hash is readable in an old link of his, and 1,000 v2).
    const { deps, recorded, token, forged, forgedV2, calls, advance } = endpoint();
    const ann = await token();
    const bob = await token({ addressHash: BOB });
    const junk = [
      ...Array.from({ length: 1900 }, (_, i) => forged(addressHash(`x${i}@example.com`))),
      ...Array.from({ length: 100 }, () => forged(BOB)),
      ...Array.from({ length: 1000 }, forgedV2),
    ];

    // Act: the flood, one second of it, then ann's one-click POST in the middle of it.
    const floodAnswers = await Promise.all(junk.map((t) => answerUnsubscribe(request({ token: t }), deps)));
    const annAnswer = await answerUnsubscribe(request({ token: ann }), deps);
    const bobDuringFlood = await answerUnsubscribe(request({ token: bob }), deps);
    advance(20_000);
    const bobLater = await answerUnsubscribe(request({ token: bob }), deps);

    // Assess
    expect(floodAnswers.every((a) => a.statusCode === 400 || a.statusCode === 503)).toBe(true);
    expect(calls.verify).toBe(3 + 1 + 1); // bob's burst of 3 under the flood, ann's, bob's own after the wait
    expect(calls.mailed).toBe(2000 + 1 + 1 + 1); // the v1 junk, ann's, bob's two: no v2 junk reached the ledger
    expect(annAnswer.outcome.kind).toBe('RECORDED');
    expect(bobDuringFlood).toMatchObject({ statusCode: 503, page: { kind: 'TRY_LATER' }, retryAfterSeconds: 30, outcome: { kind: 'DEFERRED' } });
    expect(bobLater.outcome.kind).toBe('RECORDED');
    expect(recorded.map((r) => r.addressHash)).toEqual([ANN, BOB]);
  });
});

describe('the unsubscribe request contract', () => {
  it("reads a mail client's one-click POST", () => {
    // Act
    const parsed = parse(urlEvent());

    // Assess
    expect(parsed).toEqual({ method: 'POST', token: 'abc', allMail: false, via: 'ONE_CLICK', language: 'de' });
  });

  it("reads the page's second button, also base64-encoded", () => {
    // Act
    const parsed = parse(urlEvent({ body: Buffer.from('List-Unsubscribe=One-Click&via=page&scope=all').toString('base64'), isBase64Encoded: true }));

    // Assess
    expect(parsed).toMatchObject({ allMail: true, via: 'PAGE' });
  });

  it.each([
    ['no token', { queryStringParameters: {} }, 'queryStringParameters.token: is required'],
    ['no query at all', { queryStringParameters: undefined }, 'queryStringParameters'],
    ['another method', { method: 'DELETE' }, 'requestContext.http.method: must be GET or POST'],
    ['a huge body', { body: 'x'.repeat(5000) }, 'body: must be at most 4096 characters'],
  ])('refuses %s, naming the field', (_what, overrides, message) => {
    // Act
    const act = () => parse(urlEvent(overrides as Partial<APIGatewayProxyEventV2>));

    // Assess
    expect(act).toThrow(InvalidEventError);
    expect(act).toThrow(message);
  });
});

describe('the unsubscribe pages', () => {
  it('confirm with a form that posts what a one-click client posts, to the same link, and name no registry', () => {
    // Act
    const html = renderUnsubscribePage({ kind: 'CONFIRM', scope: { kind: 'REGISTRY', registryId: 'reg-ann' }, token: 'p.m' }, 'en', 'Example Shop');

    // Assess
    expect(html).toContain('<form method="post" action="?token=p.m">');
    expect(html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).toContain('name="scope" value="all"');
    expect(html).not.toContain('reg-ann');
    expect(html).not.toMatch(/<script|<a /i);
  });

  it.each([
    ['de', 'Sie sind abgemeldet'],
    ['en', 'You are unsubscribed'],
  ] as const)('speak %s', (locale, title) => {
    // Act
    const html = renderUnsubscribePage({ kind: 'DONE', scope: { kind: 'ALL' } }, locale, 'Example Shop');

    // Assess
    expect(html).toContain(`<title>${title}</title>`);
    expect(html).toContain(`<html lang="${locale}">`);
  });

  it.each([
    ['de-CH, en;q=0.5', 'de'],
    ['fr, de;q=0.2, en;q=0.8', 'en'],
    ['fr', 'en'],
    ['de;q=0, en', 'en'],
    [undefined, 'en'],
  ])('pick the language of Accept-Language %s', (header, locale) => {
    expect(languageFromAcceptLanguage(header)).toBe(locale);
  });
});
