import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signedPost } from '../../cli/operator/signed-post';
import { assetCode, type CfnTemplate, emulatorEnv, LOCAL_AWS_REGION, type LocalStack, startLocalStack, writeFakeAssembly } from '@registry-notices/local-stack';
import { removedAfterFile } from '../support/temp-dir';

/** Echoes the event it was given, or answers with the status the body asks for. */
const ECHO_HANDLER = `
exports.handler = async (event) => {
  const asked = event.body ? JSON.parse(event.body) : {};
  if (asked.throw) throw new Error('boom');
  if (asked.status) return { statusCode: asked.status, headers: { 'X-Test': 'yes' }, cookies: ['a=1'], body: 'custom' };
  return { event };
};
`;

const fn = (objectKey: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Code: assetCode(objectKey), Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 5 },
});

const template: CfnTemplate = {
  Resources: {
    Private: fn('echo.zip'),
    PrivateUrl: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': ['Private', 'Arn'] } } },
    Public: fn('echo.zip'),
    PublicUrl: {
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['Public', 'Arn'] }, Cors: { AllowOrigins: ['*'] } },
    },
  },
  Outputs: { PrivateEndpoint: { Value: { 'Fn::GetAtt': ['PrivateUrl', 'FunctionUrl'] } } },
};

interface Echoed {
  readonly event: {
    readonly version: string;
    readonly rawPath: string;
    readonly body?: string;
    readonly headers: Record<string, string>;
    readonly requestContext: { readonly http: { readonly method: string }; readonly authorizer?: { readonly iam: Record<string, unknown> } };
  };
}

describe('AWS::Lambda::Url on the local stack', () => {
  let local: LocalStack;
  let privateUrl: string;
  let publicUrl: string;
  const as = (accessKeyId: string, secretAccessKey = accessKeyId) => ({ accessKeyId, secretAccessKey });

  beforeAll(async () => {
    const cloudAssembly = removedAfterFile(writeFakeAssembly('UrlFixture', template, [{ objectKey: 'echo.zip', files: { 'index.js': ECHO_HANDLER } }]));
    const endpoints = inject('emulatorEndpoints');
    local = await startLocalStack({
      cloudAssembly,
      endpoints,
      functionEnvironment: emulatorEnv(endpoints),
      region: LOCAL_AWS_REGION,
      namePrefix: `url${randomUUID().slice(0, 6)}`,
      functionUrlPort: 0,
    });
    privateUrl = local.functions.urls.find((u) => u.logicalId === 'PrivateUrl')!.url;
    publicUrl = local.functions.urls.find((u) => u.logicalId === 'PublicUrl')!.url;
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('gives the function a payload-2.0 event with the signer as the IAM caller', async () => {
    // Act
    const answer = await signedPost({ url: privateUrl, region: LOCAL_AWS_REGION, credentials: as('alice') }, '{"hello":"world"}');

    // Assess
    expect(answer.status).toBe(200);
    const { event } = JSON.parse(answer.body) as Echoed;
    expect(event).toMatchObject({ version: '2.0', rawPath: '/', body: '{"hello":"world"}', requestContext: { http: { method: 'POST' } } });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.requestContext.authorizer?.iam).toMatchObject({
      accessKey: 'alice',
      accountId: '000000000000',
      userArn: 'arn:aws:iam::000000000000:user/alice',
    });
  });

  it('tells two access keys apart', async () => {
    // Act
    const alice = JSON.parse((await signedPost({ url: privateUrl, region: LOCAL_AWS_REGION, credentials: as('alice') }, '{}')).body) as Echoed;
    const bob = JSON.parse((await signedPost({ url: privateUrl, region: LOCAL_AWS_REGION, credentials: as('bob') }, '{}')).body) as Echoed;

    // Assess
    expect(alice.event.requestContext.authorizer?.iam.callerId).not.toBe(bob.event.requestContext.authorizer?.iam.callerId);
    expect(bob.event.requestContext.authorizer?.iam.userArn).toBe('arn:aws:iam::000000000000:user/bob');
  });

  it('answers 403 to an unsigned request, a wrong secret and a signature for another region, without invoking', async () => {
    // Act
    const unsigned = await signedPost({ url: privateUrl, region: LOCAL_AWS_REGION }, '{}');
    const wrongSecret = await signedPost({ url: privateUrl, region: LOCAL_AWS_REGION, credentials: as('alice', 'guess') }, '{}');
    const otherRegion = await signedPost({ url: privateUrl, region: 'eu-west-1', credentials: as('alice') }, '{}');

    // Assess
    for (const answer of [unsigned, wrongSecret, otherRegion]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ Message: 'Forbidden' });
    }
    expect(JSON.parse(unsigned.body).reason).toBe('the request is not signed');
  });

  it('refuses a signed request whose body was changed on the way', async () => {
    // Prepare: sign one body, send another with the same headers.
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const url = new URL(privateUrl);
    const signer = new SignatureV4({ credentials: as('alice'), region: LOCAL_AWS_REGION, service: 'lambda', sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body: '{"approve":false}',
    });
    const { host: _host, ...headers } = signed.headers as Record<string, string>;

    // Act
    const response = await fetch(url, { method: 'POST', headers, body: '{"approve":true}' });

    // Assess
    expect(response.status).toBe(403);
  });

  it('serves anyone on an AuthType NONE URL, with no IAM caller in the event', async () => {
    // Act
    const answer = await signedPost({ url: publicUrl, region: LOCAL_AWS_REGION }, '{}');

    // Assess
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as Echoed).event.requestContext.authorizer).toBeUndefined();
  });

  it("passes the function's own status, headers and cookies through; a function error is a 502", async () => {
    // Act
    const custom = await fetch(publicUrl, { method: 'POST', body: '{"status":418}', headers: { 'content-type': 'application/json' } });
    const failed = await signedPost({ url: publicUrl, region: LOCAL_AWS_REGION }, '{"throw":true}');

    // Assess
    expect(custom.status).toBe(418);
    expect(custom.headers.get('x-test')).toBe('yes');
    expect(custom.headers.get('set-cookie')).toBe('a=1');
    expect(await custom.text()).toBe('custom');
    expect(failed.status).toBe(502);
  });

  it('answers 413 to a body over the 6 MB payload limit', async () => {
    // Act
    const answer = await signedPost({ url: publicUrl, region: LOCAL_AWS_REGION }, JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }));

    // Assess
    expect(answer.status).toBe(413);
  });

  it('resolves the FunctionUrl attribute in the outputs to the served URL', () => {
    expect(local.outputs.values.PrivateEndpoint).toBe(privateUrl);
    expect(privateUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});
