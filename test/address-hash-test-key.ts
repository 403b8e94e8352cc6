/**
 * Setup file of every vitest project: a fixed address-hash key for the process, so code under
 * test can hash addresses the way a function does once its key is loaded (in a function the key
 * is derived in KMS at init: lambdas/directory/kms-address-hash-key.ts). A test that runs a stack's
 * functions loads that stack's key instead (`useStackAddressHashKey`, test/support/address-hash-key.ts),
 * since its stored hashes are under that key.
 */
import { useAddressHashKey } from '../lambdas/directory/address-hash';

useAddressHashKey(Buffer.from('registry-notices test address-hash key, 32+ bytes'));
