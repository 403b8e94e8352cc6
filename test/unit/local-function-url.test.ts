import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { functionUrlEvent, functionUrlResponse, localCallerOf, type ReceivedRequest, verifySigV4 } from '@registry-notices/local-stack';

const site = { urlId: 'abc123', accountId: '000000000000', sourceIp: '127.0.0.1', now: new Date('2025-03-02T08:09:10Z') };

function received(overrides: Partial<ReceivedRequest> = {}): ReceivedRequest {
  return { method: 'POST', rawPath: '/', query: new URLSearchParams(), headers: { host: '127.0.0.1:9000' }, body: Buffer.alloc(0), ...overrides };
}

/** Signs as the CLI would and returns the request as the server would see it. */
async function signedRequest(accessKeyId: string, secret: string, body: string, signingDate: Date): Promise<ReceivedRequest> {
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey: secret }, region: 'us-east-1', service: 'lambda', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/', query: {}, headers: { host: '127.0.0.1:9000', 'content-type': 'application/json' }, body },
    { signingDate },
  );
  return received({ headers: signed.headers as Record<string, string>, body: Buffer.from(body) });
}

describe('function URL event (payload 2.0)', () => {
  it('splits cookies, keeps the raw query and joins repeated parameters as Lambda does', () => {
    // Act
    const event = functionUrlEvent(
      received({ rawPath: '/a%20b', query: new URLSearchParams('x=1&x=2&y=3'), headers: { host: 'h', cookie: 'a=1; b=2', 'user-agent': 'cli' } }),
      site,
    );

    // Assess
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.rawQueryString).toBe('x=1&x=2&y=3');
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(event.requestContext.http).toMatchObject({ path: '/a b', userAgent: 'cli', method: 'POST' });
    expect(event.requestContext.time).toBe('02/Mar/2025:08:09:10 +0000');
    expect(event.requestContext.accountId).toBe('anonymous');
  });

  it('base64-encodes a binary body and keeps a JSON one as text', () => {
    // Act
    const binary = functionUrlEvent(received({ headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2]) }), site);
    const json = functionUrlEvent(received({ headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') }), site);

    // Assess
    expect(binary).toMatchObject({ isBase64Encoded: true, body: 'AAEC' });
    expect(json).toMatchObject({ isBase64Encoded: false, body: '{"a":1}' });
  });

  it('puts the IAM caller under requestContext.authorizer.iam', () => {
    // Act
    const event = functionUrlEvent(received(), site, localCallerOf('alice'));

    // Assess
    expect(event.requestContext.authorizer?.iam.userArn).toBe('arn:aws:iam::000000000000:user/alice');
    expect(event.requestContext.accountId).toBe('000000000000');
  });

  it('answers a plain return value as a 200 JSON body, and a statusCode object as given', () => {
    // Act
    const plain = functionUrlResponse({ ok: true });
    const shaped = functionUrlResponse({ statusCode: 400, headers: { 'Content-Type': 'application/json' }, body: 'e30=', isBase64Encoded: true });

    // Assess
    expect(plain).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(plain.body.toString()).toBe('{"ok":true}');
    expect(shaped.statusCode).toBe(400);
    expect(shaped.headers['content-type']).toBe('application/json');
    expect(shaped.body.toString()).toBe('{}');
  });
});

describe('local SigV4 verification', () => {
  const now = new Date('2025-03-02T08:00:00Z');

  it('accepts a request signed with a local key, whose secret is its id', async () => {
    // Act
    const verdict = await verifySigV4(await signedRequest('bob', 'bob', '{}', now), { region: 'us-east-1', now: () => now });

    // Assess
    expect(verdict).toMatchObject({ ok: true, caller: { userArn: 'arn:aws:iam::000000000000:user/bob' } });
  });

  it('refuses a signature older than 5 minutes, as AWS does', async () => {
    // Act
    const verdict = await verifySigV4(await signedRequest('bob', 'bob', '{}', new Date(now.getTime() - 6 * 60_000)), { region: 'us-east-1', now: () => now });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'the signature has expired (X-Amz-Date more than 5 minutes away)' });
  });

  it('refuses a signature for another service and a header that is not SigV4', async () => {
    // Act
    const otherService = await verifySigV4(await signedRequest('bob', 'bob', '{}', now), { region: 'us-east-1', service: 'execute-api', now: () => now });
    const basic = await verifySigV4(received({ headers: { host: 'h', authorization: 'Basic Ym9iOmJvYg==' } }), { region: 'us-east-1' });

    // Assess
    expect(otherService.ok).toBe(false);
    expect(basic.ok).toBe(false);
  });
});
