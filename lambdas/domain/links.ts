import LinkifyIt from 'linkify-it';
import tlds from 'tlds';

/** Where our emails may point. Set per deployment; all must be https. */
export interface LinkConfig {
  readonly registryBaseUrl: string;
  readonly helpUrl: string;
  readonly unsubscribeBaseUrl: string;
}

/** The links one email is allowed to carry, all built by us. */
export interface NoticeLinks {
  readonly registryPage?: string;
  readonly help: string;
  readonly unsubscribe: string;
}

/**
 * Builds the only links a purchase notice may contain.
 *
 * @example
 * buildNoticeLinks(config, 'reg-1').registryPage // 'https://shop.example/registry/reg-1'
 */
export function buildNoticeLinks(config: LinkConfig, registryId: string): Required<NoticeLinks> {
  const id = encodeURIComponent(registryId);
  return {
    registryPage: `${trimSlash(config.registryBaseUrl)}/${id}`,
    help: config.helpUrl,
    unsubscribe: `${config.unsubscribeBaseUrl}?registryId=${id}`,
  };
}

/** Links for a message that is about no registry page (an apology): help and unsubscribe only. */
export function buildServiceLinks(config: LinkConfig): NoticeLinks {
  return { help: config.helpUrl, unsubscribe: config.unsubscribeBaseUrl };
}

/**
 * Checks link configuration: every base must be an absolute https URL without
 * credentials, so a typo cannot send owners somewhere else.
 * Returns one message per bad setting (empty when all are fine).
 */
export function linkConfigProblems(config: LinkConfig): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name} must be an absolute URL (got "${value}")`);
      continue;
    }
    if (url.protocol !== 'https:') problems.push(`${name} must use https (got "${url.protocol}")`);
    if (url.username || url.password) problems.push(`${name} must not carry credentials`);
  }
  return problems;
}

// Every IANA top-level domain: mail clients link more than linkify-it's short default list.
const linkify = new LinkifyIt().tlds(tlds, true);
const HREF_OR_SRC = /\b(?:href|src|action|background|poster|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/**
 * Every link a mail client could find in an email: explicit `href`/`src` targets in
 * the HTML, and anything a client would auto-link in either part (as linkify-it sees it).
 */
export function findLinks(parts: { readonly html: string; readonly text: string }): string[] {
  const found = new Set<string>();
  for (const m of parts.html.matchAll(HREF_OR_SRC)) {
    found.add(decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  for (const part of [parts.text, stripTags(parts.html)]) {
    for (const match of linkify.match(part) ?? []) found.add(decodeEntities(match.url));
  }
  return [...found];
}

/**
 * The link guard: the links in an email that are not among the allowed ones.
 * An empty result means the email may go.
 */
export function unexpectedLinks(parts: { readonly html: string; readonly text: string }, allowed: NoticeLinks): string[] {
  const ok = new Set(Object.values(allowed).filter((v): v is string => typeof v === 'string'));
  return findLinks(parts).filter((link) => !ok.has(link));
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '));
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
