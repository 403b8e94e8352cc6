import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { ConfigurationError } from '../platform/function-errors';

/**
 * What the stack's address-hash key is derived from: the KMS HMAC key's MAC of this label
 * (`kms-address-hash-key.ts`). A new label (v2) is a new key: see docs/data-model.md, "Address hashes".
 */
export const ADDRESS_HASH_KEY_LABEL = 'registry-notices/address-hash/v1';

/** Shortest key accepted: HMAC-SHA-256's block of security, 256 bits. */
const MIN_KEY_BYTES = 32;

let key: KeyObject | undefined;

/**
 * Sets the key every {@link addressHash} of this process uses. Called once per execution
 * environment, at init, before any handler runs (`useAddressHashKeyFromEnv`); a later call
 * replaces it (tests that start a second stack).
 */
export function useAddressHashKey(secret: Uint8Array): void {
  if (secret.byteLength < MIN_KEY_BYTES) throw new ConfigurationError(`the address-hash key must be at least ${MIN_KEY_BYTES} bytes, got ${secret.byteLength}`);
  key = createSecretKey(Buffer.from(secret));
}

/** Whether this process has its address-hash key yet. */
export function hasAddressHashKey(): boolean {
  return key !== undefined;
}

/**
 * The key we store and log instead of an address: HMAC-SHA-256, under the stack's secret
 * key, of the trimmed, lower-cased address, 64 hex digits. Without the key (it is derived in
 * KMS, docs/data-model.md "Address hashes") nobody can hash a guessed address and find it.
 * Throws a {@link ConfigurationError} until the key is loaded: never an unkeyed fallback.
 *
 * @example
 * addressHash(' Ann@Example.com ') === addressHash('ann@example.com') // true
 */
export function addressHash(address: string): string {
  if (!key) throw new ConfigurationError('the address-hash key is not loaded: the handler must await useAddressHashKeyFromEnv at init');
  return createHmac('sha256', key).update(normalize(address)).digest('hex');
}

/**
 * The unkeyed SHA-256 every row written before keyed hashes holds. Only to FIND such rows
 * (the dual lookup of the do-not-mail lists, docs/data-model.md "Address hashes"); never
 * written anew.
 */
export function legacyAddressHash(address: string): string {
  return createHash('sha256').update(normalize(address)).digest('hex');
}

/**
 * Both hashes an address may be stored under, keyed first: for the lookups that must
 * still find a row written before keyed hashes (a suppression, an unsubscribe).
 */
export function addressHashes(address: string): readonly [keyed: string, legacy: string] {
  return [addressHash(address), legacyAddressHash(address)];
}

function normalize(address: string): string {
  return address.trim().toLowerCase();
}
