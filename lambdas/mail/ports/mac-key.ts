import type { GenerateMac, VerifyMac } from '../unsubscribe/unsubscribe-token';

/**
 * A secret MAC key the stack holds (a KMS HMAC key): senders may only `generate`, the
 * unsubscribe endpoint may only `verify`. Both throw `KeyUnavailableError` when the key
 * cannot be used now (throttled, unreachable): never a silent yes or no.
 */
export interface MacKey {
  readonly generate: GenerateMac;
  /** `false` for a MAC that is not ours; throws only when the key cannot answer. */
  readonly verify: VerifyMac;
}
