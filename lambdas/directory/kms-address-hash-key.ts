import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { readEnv } from '../platform/env';
import { ConfigurationError } from '../platform/function-errors';
import { ADDRESS_HASH_KEY_LABEL, useAddressHashKey } from './address-hash';
import { ADDRESS_HASH_ENV } from './address-hash-env';

/**
 * Derives the address-hash key, once per execution environment: KMS `GenerateMac` (HMAC_SHA_256)
 * of {@link ADDRESS_HASH_KEY_LABEL} under the stack's address-hash KMS key. The key's material
 * never leaves KMS and the derived 32 bytes live only in this process's memory, so only a
 * principal IAM lets `GenerateMac` on that key can compute a hash (the directory's producers
 * cannot); one KMS call per cold start, none per address (a million-recipient incident hashes
 * locally). Why KMS and not a Secrets Manager secret: docs/data-model.md, "Address hashes".
 *
 * A failure here fails the init: Lambda starts the environment again on the next event, and no
 * record is worked on without the key.
 *
 * @example
 * await loadAddressHashKey(kms, process.env.ADDRESS_HASH_KEY_ARN!);
 * addressHash('ann@example.com'); // keyed
 */
export async function loadAddressHashKey(kms: Pick<KMSClient, 'send'>, keyId: string): Promise<void> {
  let mac: Uint8Array | undefined;
  try {
    ({ Mac: mac } = await kms.send(new GenerateMacCommand({ KeyId: keyId, Message: new TextEncoder().encode(ADDRESS_HASH_KEY_LABEL), MacAlgorithm: 'HMAC_SHA_256' })));
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown error';
    throw new ConfigurationError(`KMS GenerateMac failed (${name}): the address-hash key cannot be derived`, { cause: error });
  }
  if (!mac || mac.byteLength === 0) throw new ConfigurationError('KMS GenerateMac answered without a MAC: the address-hash key cannot be derived');
  useAddressHashKey(mac);
}

/** {@link loadAddressHashKey} with the key the function's environment names (`ADDRESS_HASH_ENV`). */
export async function useAddressHashKeyFromEnv(kms: Pick<KMSClient, 'send'>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await loadAddressHashKey(kms, readEnv(ADDRESS_HASH_ENV, env).ADDRESS_HASH_KEY_ARN);
}
