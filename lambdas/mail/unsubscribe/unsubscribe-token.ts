import * as z from 'zod/mini';
import { SUPPORTED_LOCALES, type Locale } from '../../directory/facts';
import { ID_PATTERN } from '../../platform/identifier';
import type { TokenSeal, TokenSealSource } from './token-seal';

/**
 * What one unsubscribe link stops: the purchase notices about one registry (the link of a
 * notice), or every email from us (the link of an apology, and the second button of a
 * notice's confirmation page).
 */
export type UnsubscribeScope = { readonly kind: 'ALL' } | { readonly kind: 'REGISTRY'; readonly registryId: string };

/** Everything a token says, all of it signed (and, in a v2 token, sealed). */
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
/** The first segment of a v2 token; a v1 token has no such segment (its first is base64url JSON, `eyJ…`). */
const V2 = 'v2';
/** Bound into every v2 seal (AES-GCM's associated data), so no other ciphertext of the seal key opens as a token. */
const V2_ASSOCIATED = new TextEncoder().encode('registry-notices/unsubscribe-token/v2');
/** Every v2 token's claims are padded to this many bytes before sealing: all v2 tokens have one length, whatever the scope and registry id. */
const V2_SEALED_PLAINTEXT_BYTES = 256;
/** AES-256-GCM's 12-byte IV and 16-byte tag around the padded claims. */
const V2_SEALED_BYTES = 12 + V2_SEALED_PLAINTEXT_BYTES + 16;

const claimFields = {
  a: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  s: z.enum(['all', 'registry']),
  r: z.optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(ID_PATTERN))),
  e: z.int().check(z.positive()),
  l: z.enum(SUPPORTED_LOCALES),
};
// v1, readable base64url JSON: issued until v2; read until the last one expires (docs/unsubscribe.md).
// Short keys keep the URL (and the List-Unsubscribe header) short.
const payloadV1Schema = z.strictObject({ v: z.literal(1), ...claimFields });
// v2: the same claims, sealed; the version is the token's first segment.
const payloadV2Schema = z.strictObject(claimFields);
type Payload = z.infer<typeof payloadV2Schema>;

/**
 * Issues the token of an unsubscribe link, v2: `v2.<sealed>.<mac>`, both base64url. The sealed
 * segment is the claims as compact JSON, padded to a fixed length and encrypted with AES-256-GCM
 * under the seal key (`kms-token-seal.ts`), so the token says nothing (no address hash, no
 * registry id, no language, no expiry) to whoever lacks the key; the MAC is HMAC-SHA-256 of
 * `v2.<sealed>` under the stack's link key in KMS, which only the senders may generate. Every
 * character is URL-safe, so the token goes into a query string as it is. 426 characters.
 *
 * @example
 * const token = await issueUnsubscribeToken({ addressHash, scope: { kind: 'REGISTRY', registryId: 'reg-1' }, locale: 'de', expiresAt }, kmsMac.generate, await seal());
 */
export async function issueUnsubscribeToken(claims: UnsubscribeClaims, generateMac: GenerateMac, seal: TokenSeal): Promise<string> {
  const json = Buffer.from(JSON.stringify(payloadOf(claims)), 'utf8');
  if (json.byteLength > V2_SEALED_PLAINTEXT_BYTES) throw new TypeError(`unsubscribe claims are ${json.byteLength} bytes, over ${V2_SEALED_PLAINTEXT_BYTES}`);
  // JSON ignores trailing spaces; the padding hides how long the registry id is, and whether there is one.
  const padded = Buffer.concat([json, Buffer.alloc(V2_SEALED_PLAINTEXT_BYTES - json.byteLength, ' ')]);
  const signed = `${V2}.${seal.seal(padded, V2_ASSOCIATED).toString('base64url')}`;
  return withMac(signed, generateMac);
}

/**
 * Issues a v1 token (`<payload>.<mac>`, the claims as readable base64url JSON): what links sent
 * before v2 carry. No sender issues it any more; it stays so the tests can prove such links are
 * still read until they expire.
 *
 * @example
 * const token = await issueV1UnsubscribeToken(claims, kmsMac.generate);
 */
export async function issueV1UnsubscribeToken(claims: UnsubscribeClaims, generateMac: GenerateMac): Promise<string> {
  const payload = { v: 1, ...payloadOf(claims) };
  if (!toClaims(payloadV1Schema.safeParse(payload).data)) throw new TypeError('unsubscribe claims do not fit the token format');
  return withMac(Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url'), generateMac);
}

/** Why a token changes nothing. All of them get the same answer; only the log tells them apart. */
export const TokenRefusal = {
  /** Not a token of ours at all: wrong shape, encoding, JSON or claims. */
  MALFORMED: 'MALFORMED',
  /** A v2 token whose sealed claims do not open under our seal key: forged or changed, refused in memory. */
  BAD_SEAL: 'BAD_SEAL',
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

/** A token whose shape, claims and expiry hold (and a v2 token's seal), not yet checked against the link key. */
export type TokenParsing =
  | { readonly ok: true; readonly version: 1 | 2; readonly claims: UnsubscribeClaims; readonly signed: string; readonly mac: Uint8Array }
  | { readonly ok: false; readonly refusal: typeof TokenRefusal.MALFORMED | typeof TokenRefusal.BAD_SEAL | typeof TokenRefusal.EXPIRED };

/**
 * Reads a token without the link key: shape, then (v2) the seal, then the claims and the expiry.
 * No KMS call per token: a v1 token's claims are read as they stand, a v2 token's are opened in
 * memory with the seal (derived once per environment; the first v2 token of an environment
 * waits for that one `GenerateMac`). The endpoint's GET and its cheap checks before a POST's
 * `VerifyMac` use it; what it returns is a claim, not yet a proof (docs/unsubscribe.md).
 *
 * @throws KeyUnavailableError when a v2 token comes and the seal cannot be derived now.
 * @example
 * const parsing = await parseUnsubscribeToken(token, new Date(), seal);
 * if (parsing.ok) parsing.claims.locale // 'de'
 */
export async function parseUnsubscribeToken(token: string, now: Date, seal: TokenSealSource): Promise<TokenParsing> {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  const [first, second, third] = parts;
  const v2 = parts.length === 3 && first === V2;
  const body = v2 ? second : first;
  const macText = v2 ? third : second;
  if ((parts.length !== 2 && !v2) || !body || !macText || !BASE64URL.test(body) || !BASE64URL.test(macText)) return { ok: false, refusal: TokenRefusal.MALFORMED };
  const mac = Buffer.from(macText, 'base64url');
  const bytes = Buffer.from(body, 'base64url');
  // Re-encoding must give the same text: otherwise two spellings of one token would both pass.
  if (mac.length !== MAC_BYTES || mac.toString('base64url') !== macText || bytes.toString('base64url') !== body) return { ok: false, refusal: TokenRefusal.MALFORMED };
  let claims: UnsubscribeClaims | undefined;
  if (v2) {
    if (bytes.length !== V2_SEALED_BYTES) return { ok: false, refusal: TokenRefusal.MALFORMED };
    const plain = (await seal()).open(bytes, V2_ASSOCIATED);
    if (!plain) return { ok: false, refusal: TokenRefusal.BAD_SEAL };
    claims = toClaims(payloadV2Schema.safeParse(parseJson(plain.toString('utf8').trimEnd())).data);
  } else {
    claims = toClaims(payloadV1Schema.safeParse(parseJson(bytes.toString('utf8'))).data);
  }
  if (!claims) return { ok: false, refusal: TokenRefusal.MALFORMED };
  if (claims.expiresAt * 1000 <= now.getTime()) return { ok: false, refusal: TokenRefusal.EXPIRED };
  return { ok: true, version: v2 ? 2 : 1, claims, signed: v2 ? `${V2}.${body}` : body, mac };
}

/**
 * Checks a parsed token's MAC with the link key (one KMS `VerifyMac`).
 *
 * @example
 * const reading = await verifyUnsubscribeToken(parsing, kmsMac.verify);
 */
export async function verifyUnsubscribeToken(parsing: Extract<TokenParsing, { ok: true }>, verifyMac: VerifyMac): Promise<TokenReading> {
  if (!(await verifyMac(Buffer.from(parsing.signed, 'ascii'), parsing.mac))) return { ok: false, refusal: TokenRefusal.BAD_MAC };
  return { ok: true, claims: parsing.claims };
}

/**
 * Reads a token: shape (and a v2 token's seal) and claims first, then the expiry, and only then
 * the MAC (one KMS call), so garbage and stale links cost nothing. A token passes only when all hold.
 *
 * @example
 * const reading = await readUnsubscribeToken(token, kmsMac.verify, new Date(), seal);
 * if (reading.ok) reading.claims.scope // { kind: 'REGISTRY', registryId: 'reg-1' }
 */
export async function readUnsubscribeToken(token: string, verifyMac: VerifyMac, now: Date, seal: TokenSealSource): Promise<TokenReading> {
  const parsing = await parseUnsubscribeToken(token, now, seal);
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

function payloadOf(claims: UnsubscribeClaims): Payload {
  const payload: Payload = {
    a: claims.addressHash,
    s: claims.scope.kind === 'ALL' ? 'all' : 'registry',
    ...(claims.scope.kind === 'REGISTRY' ? { r: claims.scope.registryId } : {}),
    e: claims.expiresAt,
    l: claims.locale,
  };
  // The claims come from our own data; a bad one is a bug, and a token we could not read back is worthless.
  if (!toClaims(payloadV2Schema.safeParse(payload).data)) throw new TypeError('unsubscribe claims do not fit the token format');
  return payload;
}

async function withMac(signed: string, generateMac: GenerateMac): Promise<string> {
  const mac = await generateMac(Buffer.from(signed, 'ascii'));
  const token = `${signed}.${Buffer.from(mac).toString('base64url')}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new TypeError(`unsubscribe token is ${token.length} characters, over ${MAX_TOKEN_LENGTH}`);
  return token;
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
