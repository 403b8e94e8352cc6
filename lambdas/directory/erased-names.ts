import { addressHashes } from './address-hash';
import { ID_PATTERN } from '../platform/identifier';

/** Who was erased, as a message or an object may name them: customer ids and address hashes (keyed or legacy). */
export interface ErasedNames {
  readonly customerIds: ReadonlySet<string>;
  readonly addressHashes: ReadonlySet<string>;
}

// Plain addresses as we accept them (docs/data-model.md, "Addresses"); no quotes, backslashes or
// `=`, so an address inside escaped JSON (`\"erin@x.org\"`) or a query (`?to=erin@x.org`) is found whole.
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;
// Runs of the identifiers' alphabet (lambdas/platform/identifier.ts): a customer id is one whole run.
const ID_RUN = new RegExp(`[${ID_PATTERN.source.slice(2, -3)}]+`, 'g');

/**
 * Whether a text (a queued message's body, a line of an uploaded object) names an erased
 * customer: one of their customer ids as a whole token, or an address whose hash is one of
 * theirs. It reads the text as text, not as one format: a purchase message, a directory event,
 * an SES notification inside an SNS envelope, a quarantine envelope with the body as an escaped
 * string, a JSON Lines file, are all found the same way. What it cannot see: an address only in
 * an encoded form (base64, a truncated body's hash).
 *
 * @example
 * namesErased('{"recipientCustomerId":"c-erin"}', { customerIds: new Set(['c-erin']), addressHashes: new Set() }) // true
 */
export function namesErased(text: string, erased: ErasedNames): boolean {
  if (erased.customerIds.size > 0) {
    for (const [token] of text.matchAll(ID_RUN)) if (erased.customerIds.has(token)) return true;
  }
  if (erased.addressHashes.size > 0) {
    for (const [address] of text.matchAll(ADDRESS)) {
      if (addressHashes(address).some((hash) => erased.addressHashes.has(hash))) return true;
    }
  }
  return false;
}
