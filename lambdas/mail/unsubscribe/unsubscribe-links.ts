import type { Locale } from '../../directory/facts';
import { issueUnsubscribeToken, tokenExpiry, type GenerateMac, type UnsubscribeScope } from './unsubscribe-token';
import type { TokenSealSource } from './token-seal';

/** What signing links needs: where they point, how long they work, the keys, the clock. */
export interface UnsubscribeLinkSettings {
  /** The endpoint's base URL (its function URL, or the operator's own https front). */
  readonly baseUrl: string;
  /** Days a link works after it was issued. */
  readonly validityDays: number;
  readonly generateMac: GenerateMac;
  /** Seals the token's claims (v2: opaque without the key). */
  readonly seal: TokenSealSource;
  readonly now: () => Date;
}

/** One recipient's link: whose mailbox, what it stops, the page's language. */
export interface UnsubscribeLinkRequest {
  readonly addressHash: string;
  readonly scope: UnsubscribeScope;
  readonly locale: Locale;
}

/**
 * Signs the one-click unsubscribe link of one email: `<baseUrl>?token=<token>`, the same URL in
 * the `List-Unsubscribe` header and in the body. Every sender (notices, apologies) makes its
 * links here, so they all carry the same token format and expiry.
 *
 * @example
 * const links = new UnsubscribeLinks({ baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', validityDays: 90, generateMac, seal, now: () => new Date() });
 * await links.link({ addressHash, scope: { kind: 'REGISTRY', registryId: 'reg-1' }, locale: 'de' }); // 'https://abc…on.aws/?token=v2.…'
 */
export class UnsubscribeLinks {
  readonly #settings: UnsubscribeLinkSettings;
  readonly #base: URL;

  constructor(settings: UnsubscribeLinkSettings) {
    const problem = unsubscribeBaseProblem(settings.baseUrl);
    if (problem) throw new TypeError(problem);
    this.#settings = settings;
    this.#base = new URL(settings.baseUrl);
  }

  /** The signed link (a v2 token); throws what the keys throw when they cannot seal or sign now (nothing may be sent without it). */
  async link(request: UnsubscribeLinkRequest): Promise<string> {
    const expiresAt = tokenExpiry(this.#settings.now(), this.#settings.validityDays);
    const token = await issueUnsubscribeToken({ ...request, expiresAt }, this.#settings.generateMac, await this.#settings.seal());
    const url = new URL(this.#base);
    url.searchParams.set('token', token);
    return url.toString();
  }
}

/**
 * What is wrong with an unsubscribe base URL, if anything: it must be https without credentials,
 * query or fragment, except on the loopback interface, where the local stack serves its function
 * URLs over plain http (a loopback address is a secure context to browsers too).
 *
 * @example
 * unsubscribeBaseProblem('http://127.0.0.1:9001/') // undefined
 * unsubscribeBaseProblem('http://example.com/')    // 'the unsubscribe base URL must use https …'
 */
export function unsubscribeBaseProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the unsubscribe base URL must be an absolute URL (got "${baseUrl}")`;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return `the unsubscribe base URL must use https (http only on the loopback interface), got "${baseUrl}"`;
  }
  if (url.username || url.password || url.search || url.hash) {
    return `the unsubscribe base URL must carry no credentials, query or fragment, got "${baseUrl}"`;
  }
  return undefined;
}
