import { GenerateMacCommand, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KeyUnavailableError } from '../../platform/function-errors';
import type { MacKey } from '../ports/mac-key';

/** The MAC algorithm of an `HMAC_256` key. */
export const MAC_ALGORITHM = 'HMAC_SHA_256';

/**
 * An HMAC key in KMS (`KeySpec: HMAC_256`, `KeyUsage: GENERATE_VERIFY_MAC`): the key material
 * never leaves KMS, and IAM decides who may generate (the senders) and who may only verify (the
 * public unsubscribe endpoint). KMS answers a MAC that is not its own with
 * `KMSInvalidMacException`, which is a plain "no" here; any other failure means the key could
 * not answer, a {@link KeyUnavailableError}.
 *
 * @example
 * const key = new KmsMacKey(kms, process.env.UNSUBSCRIBE_KEY_ARN!);
 * const mac = await key.generate(Buffer.from('payload'));
 */
export class KmsMacKey implements MacKey {
  /** @param kms the function's KMS client (`lambdas/platform/clients/kms.ts`). */
  constructor(
    private readonly kms: Pick<KMSClient, 'send'>,
    private readonly keyId: string,
  ) {}

  readonly generate = async (message: Uint8Array): Promise<Uint8Array> => {
    let mac: Uint8Array | undefined;
    try {
      ({ Mac: mac } = await this.kms.send(new GenerateMacCommand({ KeyId: this.keyId, Message: message, MacAlgorithm: MAC_ALGORITHM })));
    } catch (error) {
      throw unavailable('GenerateMac', error);
    }
    if (!mac || mac.byteLength === 0) throw new KeyUnavailableError('KMS GenerateMac answered without a MAC');
    return mac;
  };

  readonly verify = async (message: Uint8Array, mac: Uint8Array): Promise<boolean> => {
    try {
      const { MacValid } = await this.kms.send(new VerifyMacCommand({ KeyId: this.keyId, Message: message, Mac: mac, MacAlgorithm: MAC_ALGORITHM }));
      return MacValid === true;
    } catch (error) {
      if (error instanceof Error && error.name === 'KMSInvalidMacException') return false;
      throw unavailable('VerifyMac', error);
    }
  };
}

function unavailable(operation: string, error: unknown): KeyUnavailableError {
  const name = error instanceof Error ? error.name : 'unknown error';
  return new KeyUnavailableError(`KMS ${operation} failed (${name}): the unsubscribe key cannot be used now`, { cause: error });
}
