import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KeyUnavailableError } from '../../platform/function-errors';
import { MAC_ALGORITHM } from './kms-mac-key';
import { TokenSeal, type TokenSealSource } from './token-seal';

/**
 * What the token seal key is derived from: the KMS seal key's MAC of this label. A new label is
 * a new key, which no token in a mailbox was sealed with (docs/unsubscribe.md, "Token format").
 */
export const TOKEN_SEAL_KEY_LABEL = 'registry-notices/unsubscribe-token-seal/v2';

/**
 * The seal of v2 unsubscribe tokens, derived from the stack's seal key in KMS (`GenerateMac` of
 * {@link TOKEN_SEAL_KEY_LABEL}): one KMS call per execution environment, on the first token it
 * seals or opens, none per request. On first use rather than at init so a KMS hiccup at a cold
 * start is a retried record for a sender and the try-later page for the endpoint (not a failed
 * init), and the next use tries again.
 *
 * @example
 * const seal = kmsTokenSeal(kms, process.env.UNSUBSCRIBE_SEAL_KEY_ARN!);
 * const token = await issueUnsubscribeToken(claims, key.generate, await seal());
 */
export function kmsTokenSeal(kms: Pick<KMSClient, 'send'>, keyId: string): TokenSealSource {
  let pending: Promise<TokenSeal> | undefined;
  const derive = async (): Promise<TokenSeal> => {
    let mac: Uint8Array | undefined;
    try {
      ({ Mac: mac } = await kms.send(new GenerateMacCommand({ KeyId: keyId, Message: new TextEncoder().encode(TOKEN_SEAL_KEY_LABEL), MacAlgorithm: MAC_ALGORITHM })));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new KeyUnavailableError(`KMS GenerateMac failed (${name}): the unsubscribe token seal cannot be derived now`, { cause: error });
    }
    if (!mac || mac.byteLength === 0) throw new KeyUnavailableError('KMS GenerateMac answered without a MAC: the unsubscribe token seal cannot be derived');
    return new TokenSeal(mac);
  };
  return () => {
    pending ??= derive().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
