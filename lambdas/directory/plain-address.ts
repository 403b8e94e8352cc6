/**
 * The WHATWG HTML standard's "valid email address" pattern, as zod ships it (`regexes.html5Email`
 * of `zod/v4/core`; test/unit/directory/plain-address.test.ts keeps the two equal). Written out because
 * `zod/v4/core` exports its regexes only as one namespace object, which bundles every pattern
 * zod has (about 6 kB) into each function that checks an address; zod has no narrower import.
 */
export const HTML5_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** RFC 5321 §4.5.3.1: a local part of at most 64 octets, a path of at most 256 (254 without the brackets). */
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 254;

/**
 * Whether `value` is one plain email address, exactly as it stands (nothing trimmed):
 * the WHATWG HTML standard's "valid email address" ({@link HTML5_EMAIL}),
 * within RFC 5321's length limits. One `@`; an ASCII local part of atext and dots; a domain
 * of LDH labels (an IDN must be in its `xn--` form). So no display name, no angle
 * brackets, no comma or second address, no space, CR or LF, no quoted local part, no
 * address literal: a string SES could read as more than one recipient, or a header,
 * never passes.
 *
 * @example
 * isPlainAddress('ann@example.com')                      // true
 * isPlainAddress('a@x.example, evil@evil.example')       // false
 * isPlainAddress('Ann <ann@example.com>')                // false
 * isPlainAddress('ann@example.com\r\nBcc: e@evil.example') // false
 */
export function isPlainAddress(value: string): boolean {
  if (value.length > MAX_ADDRESS_LENGTH) return false;
  if (!HTML5_EMAIL.test(value)) return false;
  return value.indexOf('@') <= MAX_LOCAL_PART_LENGTH;
}
