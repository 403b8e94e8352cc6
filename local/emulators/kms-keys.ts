import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EmulatedApiError } from './aws-json-server';

/** A KMS API error, rendered as `{ "__type": code, "message": ... }` with HTTP 400. */
export class KmsApiError extends EmulatedApiError {
  override name = 'KmsApiError';
}

/** A key as the emulator holds it; `material` never leaves the store, as in KMS. */
export interface StoredKey {
  readonly keyId: string;
  readonly arn: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly description: string;
  readonly createdAt: Date;
  enabled: boolean;
  readonly material: Buffer;
}

/** Input of {@link KeyStore.create}, as in the CreateKey request. */
export interface CreateKeyInput {
  KeySpec?: unknown;
  KeyUsage?: unknown;
  Description?: unknown;
}

/** HMAC key specs and the one MAC algorithm each allows, with the key length KMS uses. */
const HMAC_SPECS: Readonly<Record<string, { algorithm: string; digest: string; bytes: number }>> = {
  HMAC_224: { algorithm: 'HMAC_SHA_224', digest: 'sha224', bytes: 28 },
  HMAC_256: { algorithm: 'HMAC_SHA_256', digest: 'sha256', bytes: 32 },
  HMAC_384: { algorithm: 'HMAC_SHA_384', digest: 'sha384', bytes: 48 },
  HMAC_512: { algorithm: 'HMAC_SHA_512', digest: 'sha512', bytes: 64 },
};
const MAX_MESSAGE_BYTES = 4096;

/**
 * In-memory KMS keys with the semantics of the operations the emulator supports: symmetric
 * encryption keys are created (so a template's keys exist and can be described) and HMAC keys
 * generate and verify real HMACs with random key material of their own.
 */
export class KeyStore {
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly accountId: string) {}

  /** CreateKey: a new key in `region` with a fresh id and random material. */
  create(input: CreateKeyInput, region: string): StoredKey {
    const keySpec = input.KeySpec === undefined ? 'SYMMETRIC_DEFAULT' : String(input.KeySpec);
    const hmac = HMAC_SPECS[keySpec];
    if (keySpec !== 'SYMMETRIC_DEFAULT' && !hmac) {
      throw new KmsApiError('UnsupportedOperationException', `The KMS emulator supports SYMMETRIC_DEFAULT and HMAC_* keys, not ${keySpec}.`);
    }
    // As in KMS, an HMAC key must name its usage; a symmetric key defaults to encryption.
    const keyUsage = input.KeyUsage === undefined ? (hmac ? '' : 'ENCRYPT_DECRYPT') : String(input.KeyUsage);
    const required = hmac ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT';
    if (keyUsage !== required) throw new KmsApiError('ValidationException', `KeyUsage must be ${required} for ${keySpec} keys.`);
    const keyId = randomUUID();
    const key: StoredKey = {
      keyId,
      arn: `arn:aws:kms:${region}:${this.accountId}:key/${keyId}`,
      keySpec,
      keyUsage,
      description: typeof input.Description === 'string' ? input.Description : '',
      createdAt: new Date(),
      enabled: true,
      material: randomBytes(hmac?.bytes ?? 32),
    };
    this.keys.set(keyId, key);
    return key;
  }

  /** DescribeKey: by key id or key ARN (aliases are not emulated). */
  get(keyId: unknown): StoredKey {
    if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 2048) {
      throw new KmsApiError('ValidationException', 'KeyId must be a string of 1 to 2048 characters.');
    }
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('key/') + 4) : keyId;
    const key = this.keys.get(id);
    if (!key || (keyId.startsWith('arn:') && key.arn !== keyId)) {
      throw new KmsApiError('NotFoundException', `Key '${keyId}' does not exist (the KMS emulator knows key ids and key ARNs, not aliases).`);
    }
    return key;
  }

  /** EnableKey / DisableKey. */
  setEnabled(keyId: unknown, enabled: boolean): void {
    this.get(keyId).enabled = enabled;
  }

  /** GenerateMac: the HMAC of `message` under the key. */
  generateMac(keyId: unknown, message: unknown, algorithm: unknown): Buffer {
    const { key, digest } = this.macKey(keyId, algorithm);
    return createHmac(digest, key.material).update(blob(message, 'Message')).digest();
  }

  /** VerifyMac: whether `mac` is the HMAC of `message` under the key; KMS answers "no" with an error. */
  verifyMac(keyId: unknown, message: unknown, mac: unknown, algorithm: unknown): void {
    const expected = this.generateMac(keyId, message, algorithm);
    const given = blob(mac, 'Mac');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new KmsApiError('KMSInvalidMacException', 'The MAC is not valid for this message and key.');
    }
  }

  private macKey(keyId: unknown, algorithm: unknown): { key: StoredKey; digest: string } {
    const key = this.get(keyId);
    if (!key.enabled) throw new KmsApiError('DisabledException', `${key.arn} is disabled.`);
    const spec = HMAC_SPECS[key.keySpec];
    if (!spec || key.keyUsage !== 'GENERATE_VERIFY_MAC') {
      throw new KmsApiError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage}, not GENERATE_VERIFY_MAC.`);
    }
    if (algorithm !== spec.algorithm) {
      throw new KmsApiError('InvalidKeyUsageException', `Algorithm ${String(algorithm)} is incompatible with key spec ${key.keySpec}.`);
    }
    return { key, digest: spec.digest };
  }
}

/** A JSON 1.1 blob field: base64 of 1..4096 bytes. */
function blob(value: unknown, field: string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0 || bytes.length > MAX_MESSAGE_BYTES) {
    throw new KmsApiError('ValidationException', `${field} must be base64 of 1 to ${MAX_MESSAGE_BYTES} bytes.`);
  }
  return bytes;
}
