import { inject } from 'vitest';
import { localClients, LOCAL_AWS_REGION } from '@registry-notices/local-stack';
import { loadAddressHashKey } from '../../lambdas/directory/kms-address-hash-key';

/**
 * Makes this test process hash addresses as a stack's functions do: derives the stack's
 * address-hash key from its KMS key in the emulator (the `AddressHashKeyArn` output, or a
 * function's `ADDRESS_HASH_KEY_ARN`), as a function does at init. Call it before seeding or
 * reading rows by hash; the file's fixed test key (test/address-hash-test-key.ts) is replaced.
 *
 * @example
 * await useStackAddressHashKey(stack.outputs.AddressHashKeyArn);
 */
export async function useStackAddressHashKey(keyArn: string): Promise<void> {
  const { kms, destroy } = localClients(inject('emulatorEndpoints'), LOCAL_AWS_REGION);
  try {
    await loadAddressHashKey(kms, keyArn);
  } finally {
    destroy();
  }
}
