import { startAwsJsonServer, type AwsJsonEmulator, type JsonOperation } from './aws-json-server';
import { KeyStore, type StoredKey } from './kms-keys';
import { LOCAL_ACCOUNT_ID } from './local-aws';

/**
 * A minimal KMS emulator: AWS JSON 1.1 over HTTP, enough for `@aws-sdk/client-kms` to create
 * and describe keys, enable and disable them, and generate and verify MACs with HMAC keys
 * (CreateKey, DescribeKey, EnableKey, DisableKey, GenerateMac, VerifyMac). Locally it holds the
 * key that signs unsubscribe links; the local stack creates every `AWS::KMS::Key` of the
 * template in it.
 */
export type KmsEmulator = AwsJsonEmulator<KeyStore>;

function operations(store: KeyStore): Record<string, JsonOperation> {
  return {
    CreateKey: (input, { region }) => ({ KeyMetadata: metadata(store.create(input, region)) }),
    DescribeKey: (input) => ({ KeyMetadata: metadata(store.get(input.KeyId)) }),
    EnableKey: (input) => {
      store.setEnabled(input.KeyId, true);
      return {};
    },
    DisableKey: (input) => {
      store.setEnabled(input.KeyId, false);
      return {};
    },
    GenerateMac: (input) => ({
      Mac: store.generateMac(input.KeyId, input.Message, input.MacAlgorithm).toString('base64'),
      MacAlgorithm: input.MacAlgorithm,
      KeyId: store.get(input.KeyId).arn,
    }),
    VerifyMac: (input) => {
      store.verifyMac(input.KeyId, input.Message, input.Mac, input.MacAlgorithm);
      return { KeyId: store.get(input.KeyId).arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
    },
  };
}

/** Starts the KMS emulator on `host:port` (port 0 = any free port). Rejects with the listen error (e.g. EADDRINUSE). */
export async function startKmsEmulator(options: { port?: number; host?: string } = {}): Promise<KmsEmulator> {
  const store = new KeyStore(LOCAL_ACCOUNT_ID);
  const server = await startAwsJsonServer({ service: 'KMS', targetPrefix: 'TrentService.', operations: operations(store), ...options });
  return { url: server.url, port: server.port, store, stop: server.stop };
}

function metadata(key: StoredKey): Record<string, unknown> {
  return {
    KeyId: key.keyId,
    Arn: key.arn,
    AWSAccountId: LOCAL_ACCOUNT_ID,
    CreationDate: key.createdAt.getTime() / 1000, // JSON 1.1 timestamps are epoch seconds
    Description: key.description,
    Enabled: key.enabled,
    KeyState: key.enabled ? 'Enabled' : 'Disabled',
    KeyManager: 'CUSTOMER',
    KeySpec: key.keySpec,
    CustomerMasterKeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    Origin: 'AWS_KMS',
    ...(key.keySpec.startsWith('HMAC_')
      ? { MacAlgorithms: [`HMAC_SHA_${key.keySpec.slice('HMAC_'.length)}`] }
      : { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
  };
}
