import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssmParameterReader } from '../../lambdas/platform/ssm-parameter-reader';
import { ssmClient } from '../../lambdas/platform/aws/ssm-client';
import { ParameterReadError } from '../../lambdas/platform/function-errors';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { expectedSignature, KEYS, scriptedServer } from '../support/sigv4';

describe("ssmParameterReader (GetParameter through the functions' SSMClient)", () => {
  let aws: AwsClients;
  const name = `/reader-test/${Date.now().toString(36)}`;

  beforeAll(async () => {
    aws = createAwsClients();
    await aws.ssm.send(new PutParameterCommand({ Name: name, Value: 'false', Type: 'String' }));
  });
  afterAll(() => aws?.destroy());

  it('reads a parameter from the SSM emulator with the credentials and endpoint of the environment', async () => {
    // Prepare: the global setup sets AWS_ENDPOINT_URL_SSM, AWS_REGION and the keys, as the local stack does.
    const read = ssmParameterReader();

    // Act
    const value = await read(name);

    // Assess
    expect(value).toBe('false');
  });

  it('throws ParameterNotFound for a missing parameter, without retrying', async () => {
    // Prepare
    const read = ssmParameterReader();

    // Act
    const missing = read(`${name}-missing`);

    // Assess
    await expect(missing).rejects.toMatchObject({ name: 'ParameterReadError', code: 'ParameterNotFound', retryable: false });
  });

  it('sends a JSON 1.1 GetParameter request whose SigV4 signature checks out by the specification', async () => {
    // Prepare
    const stub = await scriptedServer([{ status: 200, body: { Parameter: { Name: name, Value: 'true' } } }]);
    const read = ssmParameterReader(ssmClient({ endpoint: stub.url, region: 'eu-central-1', credentials: async () => KEYS }));

    // Act
    const value = await read(name);
    stub.server.close();

    // Assess
    const [request] = stub.requests;
    expect(value).toBe('true');
    expect(request).toMatchObject({ method: 'POST', path: '/', body: JSON.stringify({ Name: name }) });
    expect(request!.headers).toMatchObject({
      'x-amz-target': 'AmazonSSM.GetParameter',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-security-token': KEYS.sessionToken,
    });
    const auth = String(request!.headers.authorization);
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/ssm\/aws4_request, /);
    expect(auth.split('SignedHeaders=')[1]?.split(',')[0]?.split(';')).toEqual(
      expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']),
    );
    expect(auth.split('Signature=')[1]).toBe(expectedSignature(request!, KEYS.secretAccessKey));
  });

  it('retries throttling and 5xx answers, then gives up with the last error', async () => {
    // Prepare
    const throttled = { status: 400, body: { __type: 'com.amazonaws.ssm#ThrottlingException', message: 'Rate exceeded' } };
    const flaky = await scriptedServer([throttled, { status: 500, body: {} }, { status: 200, body: { Parameter: { Value: 'false' } } }]);
    const down = await scriptedServer([throttled]);
    const options = { region: 'eu-central-1', credentials: async () => KEYS };

    // Act
    const recovered = await ssmParameterReader(ssmClient({ ...options, endpoint: flaky.url }))(name);
    const gaveUp = await ssmParameterReader(ssmClient({ ...options, endpoint: down.url }))(name).catch((error: unknown) => error);
    flaky.server.close();
    down.server.close();

    // Assess
    expect([recovered, flaky.requests.length]).toEqual(['false', 3]);
    expect(gaveUp).toBeInstanceOf(ParameterReadError);
    expect(gaveUp).toMatchObject({ code: 'ThrottlingException', retryable: true });
    expect(down.requests).toHaveLength(3);
  });
});
