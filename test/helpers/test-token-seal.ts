import { randomBytes } from 'node:crypto';
import { TokenSeal, type TokenSealSource } from '../../lambdas/mail/unsubscribe/token-seal';

/**
 * A real token seal (AES-256-GCM) with a random key held in memory, for unit tests of code that
 * issues or reads v2 unsubscribe tokens without KMS (the derivation from KMS is tested against
 * the KMS emulator). `source` is what `UnsubscribeLinks` and the endpoint take; `derivations`
 * counts how often it was asked.
 *
 * @example
 * const seal = testTokenSeal();
 * await readUnsubscribeToken(await issueUnsubscribeToken(claims, key.generate, seal.seal), key.verify, now, seal.source);
 */
export function testTokenSeal(material: Buffer = randomBytes(32)): { seal: TokenSeal; source: TokenSealSource & { calls: number } } {
  const seal = new TokenSeal(material);
  const source = Object.assign(
    async () => {
      source.calls += 1;
      return seal;
    },
    { calls: 0 },
  );
  return { seal, source };
}
