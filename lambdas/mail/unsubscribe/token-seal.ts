import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigurationError } from '../../platform/function-errors';

/** AES-256-GCM: a 96-bit random IV and a 128-bit tag around the ciphertext. */
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The secret that makes a v2 unsubscribe token opaque (docs/unsubscribe.md, "Token format"):
 * AES-256-GCM, whose tag also proves the sealed claims were made with this key, so a forged or
 * changed token is refused in memory, before any I/O. The 32 bytes are derived from the stack's
 * seal key in KMS once per execution environment (`kms-token-seal.ts`) and live only in memory.
 *
 * Hand-framed with node:crypto (`iv || ciphertext || tag`) rather than a JWE library: a JWE's
 * header and five segments add about 70 characters to every `List-Unsubscribe` header and check
 * nothing this does not.
 *
 * @example
 * const seal = new TokenSeal(secret);
 * seal.open(seal.seal(plain, aad), aad); // plain
 */
export class TokenSeal {
  readonly #key: KeyObject;

  constructor(secret: Uint8Array) {
    if (secret.byteLength !== KEY_BYTES) throw new ConfigurationError(`the token seal key must be ${KEY_BYTES} bytes, got ${secret.byteLength}`);
    this.#key = createSecretKey(Buffer.from(secret));
  }

  /** `iv || ciphertext || tag`, with a fresh random IV: two seals of the same claims differ. */
  seal(plaintext: Uint8Array, associated: Uint8Array): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associated);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  /** The plaintext, or `undefined` when the tag does not hold (another key, a changed byte, a wrong length). */
  open(sealed: Uint8Array, associated: Uint8Array): Buffer | undefined {
    if (sealed.byteLength <= IV_BYTES + TAG_BYTES) return undefined;
    const bytes = Buffer.from(sealed);
    const decipher = createDecipheriv(ALGORITHM, this.#key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associated);
    decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.byteLength - TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}

/** The seal, derived on first use and then kept (`kmsTokenSeal`); throws `KeyUnavailableError` while it cannot be derived. */
export type TokenSealSource = () => Promise<TokenSeal>;
