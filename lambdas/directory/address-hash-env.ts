import { envVars } from '../platform/env';

/**
 * What a function that hashes addresses loads its key from (`useAddressHashKeyFromEnv`;
 * `AddressHashKey.grantHash` in lib/constructs/ sets it): the KMS HMAC key the address-hash
 * key is derived from.
 */
export const ADDRESS_HASH_ENV = envVars({ required: ['ADDRESS_HASH_KEY_ARN'] });
