import type { KMSClient } from '@aws-sdk/client-kms';
import { loadAddressHashKey } from '../lambdas/directory/kms-address-hash-key';
import { CliError } from './errors';

/**
 * Lets this process hash addresses as the target stack's functions do, for the dev tools that
 * write its tables directly (`seed`, the demo): derives the stack's address-hash key from its
 * `AddressHashKeyArn` output with KMS `GenerateMac`, as a function does at init. Against AWS
 * (`--aws`) the caller needs `kms:GenerateMac` on that key, which operators are not granted:
 * seeding is for the local stack (docs/data-model.md, "Address hashes").
 *
 * @example
 * await useStackAddressHashKey(target.kms, target);
 */
export async function useStackAddressHashKey(kms: Pick<KMSClient, 'send'>, target: { readonly description: string; readonly outputs: Readonly<Record<string, string>> }): Promise<void> {
  const keyArn = target.outputs.AddressHashKeyArn;
  if (!keyArn) throw new CliError(`The ${target.description} has no output AddressHashKeyArn: it predates keyed address hashes; deploy it again.`);
  await loadAddressHashKey(kms, keyArn);
}
