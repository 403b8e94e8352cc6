import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { EnvName } from '../../lambdas/platform/env';
import type { ADDRESS_HASH_ENV } from '../../lambdas/directory/address-hash-env';
import { setEnvironment, type DeclaredFunction } from './function-environment';

/** The only MAC algorithm of the address-hash key (`HMAC_256`); the grants are conditioned on it. */
export const ADDRESS_HASH_MAC_ALGORITHM = 'HMAC_SHA_256';

/**
 * The secret behind every address hash we store (docs/data-model.md, "Address hashes"): a KMS
 * HMAC key whose MAC of a fixed label is the HMAC key of `addressHash`, derived once per cold
 * start by the functions {@link grantHash} names. Its own key, not the unsubscribe link key:
 * the unsubscribe endpoint, which verifies links, must not be able to hash an address, and
 * rotating one must not move the other.
 *
 * Retained, and never rotated in place: a new key material would be a new hash of every
 * address, and every stored row would stop being found (a new key is a new label, v2).
 */
export class AddressHashKey extends Construct {
  /** The KMS HMAC key (HMAC_256) the address-hash key is derived from. */
  public readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'registry-notices: the address-hash key is derived from it (HMAC); whoever may GenerateMac on it can hash addresses',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }

  /**
   * Lets a function hash addresses: `kms:GenerateMac` on this key (HMAC-SHA-256 only) and its
   * ARN as `ADDRESS_HASH_KEY_ARN`, which the function must declare (ADDRESS_HASH_ENV). Nothing
   * else: no VerifyMac, no key administration. Grant it only to our functions; a producer
   * (the shop, a send-log writer) must never hold it, or hashes protect nothing from it.
   *
   * @example
   * stack.addressHashKey.grantHash(notify.notifyFunction);
   */
  public grantHash(fn: DeclaredFunction<EnvName<typeof ADDRESS_HASH_ENV>>): Grant {
    setEnvironment(fn, { ADDRESS_HASH_KEY_ARN: this.key.keyArn });
    return Grant.addToPrincipal({
      grantee: fn,
      actions: ['kms:GenerateMac'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:MacAlgorithm': ADDRESS_HASH_MAC_ALGORITHM } },
    });
  }
}
