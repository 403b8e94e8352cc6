import { createHash } from 'node:crypto';

/**
 * The key we store and log instead of an address: SHA-256 of the trimmed,
 * lower-cased address, hex. Stable across systems, so imported send logs match.
 *
 * @example
 * addressHash(' Ann@Example.com ') === addressHash('ann@example.com') // true
 */
export function addressHash(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
}
