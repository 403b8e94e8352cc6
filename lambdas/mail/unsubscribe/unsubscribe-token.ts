import * as z from 'zod/mini';
import { SUPPORTED_LOCALES, type Locale } from '../../directory/facts';
import { ID_PATTERN } from '../../platform/identifier';

/**
 * What one unsubscribe link stops: the purchase notices about one registry (the link of a
 * notice), or every email from us (the link of an apology, and the second button of a
 * notice's confirmation page).
 */
export type UnsubscribeScope = { readonly kind: 'ALL' } | { readonly kind: 'REGISTRY'; readonly registryId: string };

/** Everything a token says, all of it signed. */
export interface UnsubscribeClaims {
  /** Whose mailbox: the address hash (docs/data-model.md), never the address. */
  readonly addressHash: string;
  readonly scope: UnsubscribeScope;
  /** The language of the confirmation page: the recipient's, as the email was written. */
  readonly locale: Locale;
  /** Epoch seconds; from then on the link changes nothing. */
  readonly expiresAt: number;
}

/** Computes the MAC of a token's payload with the stack's key (KMS `GenerateMac`). */
export type GenerateMac = (message: Uint8Array) => Promise<Uint8Array>;
/** Checks a MAC of a token's payload with the stack's key (KMS `VerifyMac`). */
export type VerifyMac = (message: Uint8Array, mac: Uint8Array) => Promise<boolean>;

/** Longest token we issue or read; anything longer is refused before any work. */
export const MAX_TOKEN_LENGTH = 600;
/** HMAC-SHA-256 MACs are 32 bytes. */
const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// The payload as signed: short keys keep the URL (and the List-Unsubscribe header) short.
const payloadSchema = z.strictObject({
  v: z.literal(1),
  a: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  s: z.enum(['all', 'registry']),
  r: z.optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(ID_PATTERN))),
  e: z.int().check(z.positive()),
  l: z.enum(SUPPORTED_LOCALES),
});
type Payload = z.infer<typeof payloadSchema>;

/**
 * Issues the token of an unsubscribe link: `<payload>.<mac>`, both base64url, where the payload
 * is the claims as compact JSON and the MAC is HMAC-SHA-256 of the payload's characters under
 * the stack's key. Every character is URL-safe, so the token goes into a query string as it is.
 *
 * @example
 * const token = await issueUnsubscribeToken({ addressHash, scope: { kind: 'REGISTRY', registryId: 'reg-1' }, locale: 'de', expiresAt }, kmsMac.generate);
 */
export async function issueUnsubscribeToken(claims: UnsubscribeClaims, generateMac: GenerateMac): Promise<string> {
  const payload: Payload = {
    v: 1,
    a: claims.addressHash,
    s: claims.scope.kind === 'ALL' ? 'all' : 'registry',
    ...(claims.scope.kind === 'REGISTRY' ? { r: claims.scope.registryId } : {}),
    e: claims.expiresAt,
    l: claims.locale,
  };
  // The claims come from our own data; a bad one is a bug, and a token we could not read back is worthless.
  if (!toClaims(payloadSchema.safeParse(payload).data)) throw new TypeError('unsubscribe claims do not fit the token format');
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const mac = await generateMac(Buffer.from(encoded, 'ascii'));
  const token = `${encoded}.${Buffer.from(mac).toString('base64url')}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new TypeError(`unsubscribe token is ${token.length} characters, over ${MAX_TOKEN_LENGTH}`);
  return token;
}

/** Why a token changes nothing. All of them get the same answer; only the log tells them apart. */
export const TokenRefusal = {
  /** Not a token of ours at all: wrong shape, encoding, JSON or claims. */
  MALFORMED: 'MALFORMED',
  /** Well formed, but past its `expiresAt`. */
  EXPIRED: 'EXPIRED',
  /** Well formed and current, but the MAC is not ours: tampered with or forged. */
  BAD_MAC: 'BAD_MAC',
  /** Well formed and current, but for an address we never mailed: refused before the key is asked. */
  NOT_MAILED: 'NOT_MAILED',
} as const;
export type TokenRefusal = (typeof TokenRefusal)[keyof typeof TokenRefusal];

/** A token read: its claims, or why it is refused. */
export type TokenReading =
  | { readonly ok: true; readonly claims: UnsubscribeClaims }
  | { readonly ok: false; readonly refusal: TokenRefusal };

/** A token whose shape, claims and expiry hold, not yet checked against the key. */
export type TokenParsing =
  | { readonly ok: true; readonly claims: UnsubscribeClaims; readonly encoded: string; readonly mac: Uint8Array }
  | { readonly ok: false; readonly refusal: typeof TokenRefusal.MALFORMED | typeof TokenRefusal.EXPIRED };

/**
 * Reads a token without the key: shape and claims, then the expiry. Free (no KMS call), so the
 * endpoint's GET and its cheap checks before a POST's `VerifyMac` use it; what it returns is a
 * claim, not yet a proof (docs/unsubscribe.md).
 *
 * @example
 * const parsing = parseUnsubscribeToken(token, new Date());
 * if (parsing.ok) parsing.claims.locale // 'de'
 */
export function parseUnsubscribeToken(token: string, now: Date): TokenParsing {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  const [encoded, macText] = parts;
  if (parts.length !== 2 || !encoded || !macText || !BASE64URL.test(encoded) || !BASE64URL.test(macText)) {
    return { ok: false, refusal: TokenRefusal.MALFORMED };
  }
  const mac = Buffer.from(macText, 'base64url');
  const claims = toClaims(payloadSchema.safeParse(parseJson(Buffer.from(encoded, 'base64url').toString('utf8'))).data);
  // Re-encoding must give the same text: otherwise two spellings of one payload would both pass.
  if (!claims || mac.length !== MAC_BYTES || mac.toString('base64url') !== macText) return { ok: false, refusal: TokenRefusal.MALFORMED };
  if (claims.expiresAt * 1000 <= now.getTime()) return { ok: false, refusal: TokenRefusal.EXPIRED };
  return { ok: true, claims, encoded, mac };
}

/**
 * Checks a parsed token's MAC with the key (one KMS `VerifyMac`).
 *
 * @example
 * const reading = await verifyUnsubscribeToken(parsing, kmsMac.verify);
 */
export async function verifyUnsubscribeToken(parsing: Extract<TokenParsing, { ok: true }>, verifyMac: VerifyMac): Promise<TokenReading> {
  if (!(await verifyMac(Buffer.from(parsing.encoded, 'ascii'), parsing.mac))) return { ok: false, refusal: TokenRefusal.BAD_MAC };
  return { ok: true, claims: parsing.claims };
}

/**
 * Reads a token: shape and claims first, then the expiry, and only then the MAC (one KMS call),
 * so garbage and stale links cost nothing. A token passes only when all three hold.
 *
 * @example
 * const reading = await readUnsubscribeToken(token, kmsMac.verify, new Date());
 * if (reading.ok) reading.claims.scope // { kind: 'REGISTRY', registryId: 'reg-1' }
 */
export async function readUnsubscribeToken(token: string, verifyMac: VerifyMac, now: Date): Promise<TokenReading> {
  const parsing = parseUnsubscribeToken(token, now);
  return parsing.ok ? verifyUnsubscribeToken(parsing, verifyMac) : parsing;
}

/**
 * When a link issued now stops working.
 *
 * @example
 * tokenExpiry(new Date('2026-01-01T00:00:00Z'), 90) // epoch seconds of 2026-04-01T00:00:00Z
 */
export function tokenExpiry(now: Date, validityDays: number): number {
  return Math.floor(now.getTime() / 1000) + validityDays * 24 * 60 * 60;
}

function toClaims(payload: Payload | undefined): UnsubscribeClaims | undefined {
  if (!payload) return undefined;
  if ((payload.s === 'registry') !== (payload.r !== undefined)) return undefined;
  const scope: UnsubscribeScope = payload.r !== undefined ? { kind: 'REGISTRY', registryId: payload.r } : { kind: 'ALL' };
  return { addressHash: payload.a, scope, locale: payload.l, expiresAt: payload.e };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
