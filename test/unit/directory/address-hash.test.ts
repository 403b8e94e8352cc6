import { createHash, createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { addressHash, addressHashes, legacyAddressHash, useAddressHashKey } from '../../../lambdas/directory/address-hash';
import { ConfigurationError } from '../../../lambdas/platform/function-errors';

// The setup file's key (test/address-hash-test-key.ts); the file puts it back when done, since
// unit files share a worker's module state.
const SETUP_KEY = Buffer.from('registry-notices test address-hash key, 32+ bytes');
afterAll(() => useAddressHashKey(SETUP_KEY));

describe('addressHash', () => {
  it('is HMAC-SHA-256 of the trimmed, lower-cased address under the loaded key, 64 hex digits', () => {
    const key = Buffer.alloc(32, 7);
    useAddressHashKey(key);
    const expected = createHmac('sha256', key).update('ann@example.com').digest('hex');
    expect(addressHash(' Ann@Example.COM ')).toBe(expected);
    expect(addressHash('ann@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is not the unkeyed SHA-256 anyone can compute from a guessed address', () => {
    useAddressHashKey(Buffer.alloc(32, 7));
    const guessed = createHash('sha256').update('ann@example.com').digest('hex');
    expect(addressHash('ann@example.com')).not.toBe(guessed);
    expect(legacyAddressHash('ann@example.com')).toBe(guessed);
  });

  it('differs under another key, so a hash from one stack says nothing in another', () => {
    useAddressHashKey(Buffer.alloc(32, 1));
    const one = addressHash('ann@example.com');
    useAddressHashKey(Buffer.alloc(32, 2));
    expect(addressHash('ann@example.com')).not.toBe(one);
  });

  it('gives both hashes a row may be stored under, keyed first', () => {
    useAddressHashKey(Buffer.alloc(32, 3));
    expect(addressHashes('Ann@example.com')).toEqual([addressHash('ann@example.com'), legacyAddressHash('ann@example.com')]);
  });

  it('refuses a key shorter than 32 bytes, naming the rule', () => {
    expect(() => useAddressHashKey(Buffer.alloc(16))).toThrow(new ConfigurationError('the address-hash key must be at least 32 bytes, got 16'));
  });
});
