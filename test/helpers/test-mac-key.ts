import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MacKey } from '../../lambdas/mail/ports/mac-key';

/**
 * A real HMAC-SHA-256 key held in memory, for unit tests of code that signs or checks
 * unsubscribe tokens without KMS (the KMS adapter is tested against the KMS emulator).
 *
 * @example
 * const key = testMacKey();
 * await readUnsubscribeToken(await issueUnsubscribeToken(claims, key.generate), key.verify, now);
 */
export function testMacKey(material: Buffer = randomBytes(32)): MacKey {
  const mac = (message: Uint8Array): Buffer => createHmac('sha256', material).update(message).digest();
  return {
    generate: async (message) => mac(message),
    verify: async (message, given) => {
      const expected = mac(message);
      return given.length === expected.length && timingSafeEqual(Buffer.from(given), expected);
    },
  };
}
