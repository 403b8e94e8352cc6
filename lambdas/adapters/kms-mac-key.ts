import type { AwsJsonCall } from '../commons/clients/aws-json-call';
import { AwsCallError, KeyUnavailableError } from '../commons/errors';
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
  /** @param kms KMS's JSON protocol (`lambdas/commons/clients/kms.ts`); blobs travel base64 in it. */
  constructor(
    private readonly kms: AwsJsonCall,
    private readonly keyId: string,
  ) {}

  readonly generate = async (message: Uint8Array): Promise<Uint8Array> => {
    let answer: { Mac?: unknown };
    try {
      answer = (await this.kms('GenerateMac', { KeyId: this.keyId, Message: base64(message), MacAlgorithm: MAC_ALGORITHM })) as { Mac?: unknown };
    } catch (error) {
      throw unavailable('GenerateMac', error);
    }
    if (typeof answer.Mac !== 'string' || answer.Mac === '') throw new KeyUnavailableError('KMS GenerateMac answered without a MAC');
    return new Uint8Array(Buffer.from(answer.Mac, 'base64'));
  };

  readonly verify = async (message: Uint8Array, mac: Uint8Array): Promise<boolean> => {
    try {
      const { MacValid } = (await this.kms('VerifyMac', { KeyId: this.keyId, Message: base64(message), Mac: base64(mac), MacAlgorithm: MAC_ALGORITHM })) as {
        MacValid?: unknown;
      };
      return MacValid === true;
    } catch (error) {
      if (error instanceof AwsCallError && error.code === 'KMSInvalidMacException') return false;
      throw unavailable('VerifyMac', error);
    }
  };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function unavailable(operation: string, error: unknown): KeyUnavailableError {
  const name = error instanceof AwsCallError ? error.code : error instanceof Error ? error.name : 'unknown error';
  return new KeyUnavailableError(`KMS ${operation} failed (${name}): the unsubscribe key cannot be used now`, { cause: error });
}
