import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, GenerateMacCommand, VerifyMacCommand } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { KmsMacKey } from '../../lambdas/mail/unsubscribe/kms-mac-key';
import { KeyUnavailableError } from '../../lambdas/platform/function-errors';
import { createAwsClients } from '../support/aws-clients';
import { kms } from '../../lambdas/platform/clients/kms';

const aws = createAwsClients();
afterAll(() => aws.destroy());

const hmacKey = async (): Promise<string> => {
  const { KeyMetadata } = await aws.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'test' }));
  return KeyMetadata!.Arn!;
};
const message = Buffer.from('eyJ2IjoxfQ');

describe('KMS emulator (through @aws-sdk/client-kms)', () => {
  it('creates an HMAC key and describes it by id and by ARN', async () => {
    // Act
    const { KeyMetadata: created } = await aws.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
    const byId = await aws.kms.send(new DescribeKeyCommand({ KeyId: created!.KeyId }));
    const byArn = await aws.kms.send(new DescribeKeyCommand({ KeyId: created!.Arn }));

    // Assess
    expect(created).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Enabled: true, MacAlgorithms: ['HMAC_SHA_256'] });
    expect(created!.Arn).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect(byId.KeyMetadata?.Arn).toBe(created!.Arn);
    expect(byArn.KeyMetadata?.KeyId).toBe(created!.KeyId);
  });

  it('generates a 32-byte MAC that VerifyMac accepts, and refuses another message with KMSInvalidMacException', async () => {
    // Prepare
    const KeyId = await hmacKey();

    // Act
    const { Mac } = await aws.kms.send(new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    const verified = await aws.kms.send(new VerifyMacCommand({ KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' }));
    const other = aws.kms.send(new VerifyMacCommand({ KeyId, Message: Buffer.from('other'), Mac, MacAlgorithm: 'HMAC_SHA_256' }));

    // Assess
    expect(Mac).toHaveLength(32);
    expect(verified.MacValid).toBe(true);
    await expect(other).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  it("keeps each key's material its own: a MAC of one key does not verify under another", async () => {
    // Prepare
    const [one, two] = await Promise.all([hmacKey(), hmacKey()]);
    const { Mac } = await aws.kms.send(new GenerateMacCommand({ KeyId: one, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));

    // Act
    const act = aws.kms.send(new VerifyMacCommand({ KeyId: two, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' }));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  it('refuses a MAC from an encryption key, a wrong algorithm, an unknown key and a disabled key, as KMS does', async () => {
    // Prepare
    const { KeyMetadata: symmetric } = await aws.kms.send(new CreateKeyCommand({}));
    const [KeyId, other] = await Promise.all([hmacKey(), hmacKey()]);
    await aws.kms.send(new DisableKeyCommand({ KeyId }));

    // Act
    const attempts = await Promise.allSettled([
      aws.kms.send(new GenerateMacCommand({ KeyId: symmetric!.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      aws.kms.send(new GenerateMacCommand({ KeyId: other, Message: message, MacAlgorithm: 'HMAC_SHA_512' })),
      aws.kms.send(new GenerateMacCommand({ KeyId: 'alias/unsubscribe', Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      aws.kms.send(new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
    ]);
    await aws.kms.send(new EnableKeyCommand({ KeyId }));
    const again = await aws.kms.send(new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));

    // Assess
    expect(attempts.map((a) => (a.status === 'rejected' ? (a.reason as Error).name : 'fulfilled'))).toEqual([
      'InvalidKeyUsageException',
      'InvalidKeyUsageException',
      'NotFoundException',
      'DisabledException',
    ]);
    expect(again.Mac).toHaveLength(32);
  });
});

describe('KmsMacKey (the adapter) against the KMS emulator', () => {
  it('verifies its own MACs, says no to a changed one, and turns a key that cannot answer into KeyUnavailableError', async () => {
    // Prepare
    const KeyId = await hmacKey();
    // The function's KMS calls, pointed at the emulator by AWS_ENDPOINT_URL_KMS (global setup).
    const key = new KmsMacKey(kms, KeyId);
    const mac = await key.generate(message);
    const changed = Buffer.from(mac);
    changed[0] = changed[0]! ^ 1;

    // Act
    const [ours, theirs] = await Promise.all([key.verify(message, mac), key.verify(message, changed)]);
    await aws.kms.send(new DisableKeyCommand({ KeyId }));
    const disabled = key.verify(message, mac);

    // Assess
    expect([ours, theirs]).toEqual([true, false]);
    await expect(disabled).rejects.toThrow(KeyUnavailableError);
  });
});
