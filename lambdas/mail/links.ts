import { scanHtml } from './link-guard/html-scan';
import { textLinks } from './link-guard/text-links';
import type { NoticeLinks } from './link-config';

export { buildNoticeLinks, buildServiceLinks, linkConfigProblems, type LinkConfig, type NoticeLinks } from './link-config';

/** The two parts of a rendered email. */
export interface EmailParts {
  readonly html: string;
  readonly text: string;
}

/**
 * Every link a mail client could find in an email: URLs in the real attributes of real
 * HTML elements (href, src, srcset, action, style url(), meta refresh, ...), and whatever a
 * client would auto-link in the text of either part (URLs, domains, addresses, phone
 * numbers as `tel:`). Escaped text is text: `&lt;a href=…&gt;` is no link.
 */
export function findLinks(parts: EmailParts): string[] {
  return inspect(parts).links;
}

/**
 * The link guard: what in an email is not among the allowed links, plus anything in the
 * HTML that acts rather than links (a script, a frame, a form, an event handler).
 * An empty result means the email may go.
 */
export function unexpectedLinks(parts: EmailParts, allowed: NoticeLinks): string[] {
  const ok = new Set(Object.values(allowed).filter((v): v is string => typeof v === 'string'));
  const { links, active } = inspect(parts);
  return [...links.filter((link) => !ok.has(link)), ...active];
}

function inspect(parts: EmailParts): { links: string[]; active: string[] } {
  const html = scanHtml(parts.html);
  const found = new Set(html.urls);
  for (const text of [parts.text, ...html.texts]) for (const link of textLinks(text)) found.add(link);
  return { links: [...found], active: html.active };
}
