import { Parser } from 'htmlparser2';

/** What an HTML document carries, as a mail client's parser sees it. */
export interface HtmlScan {
  /** Every URL in an attribute that carries one (href, src, srcset, style url(), meta refresh, ...). */
  readonly urls: string[];
  /** The text a reader sees, entities decoded, one entry per block (inline elements joined). */
  readonly texts: string[];
  /** Things that act rather than link: scripts, frames, forms, event handlers, CSS that loads or runs. */
  readonly active: string[];
}

// Attributes whose value is a URL (or a list of them) in HTML, SVG or a legacy client.
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'background', 'poster', 'cite', 'longdesc', 'usemap',
  'data', 'codebase', 'classid', 'profile', 'manifest', 'icon', 'dynsrc', 'lowsrc', 'xlink:href',
  'xml:base', 'itemtype', 'itemid',
]);
const URL_LIST_ATTRIBUTES = new Set(['srcset', 'imagesrcset', 'ping', 'archive']);
// Elements that run, embed or submit; none of our templates uses them. svg and math because
// inside them <style> is markup, not text, and parsers differ there.
const ACTIVE_ELEMENTS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'svg', 'math', 'portal', 'noscript',
]);
// Text inside these runs on with its neighbours; any other tag ends a block of text.
const INLINE_ELEMENTS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)|@import\s*(?:"([^"]*)"|'([^']*)')|image(?:-set)?\(\s*(?:"([^"]*)"|'([^']*)')/gi;
// CSS that runs code (old IE, old Firefox), or escapes that could spell url( out of sight.
const CSS_ACTIVE = /expression\s*\(|behavior\s*:|-moz-binding|\\/i;
const SRCSET_DESCRIPTOR = /^\d+(?:\.\d+)?[wxh]$/i;

/**
 * Reads an HTML document with htmlparser2 and reports what in it can link or act: real
 * attributes of real elements, so text that merely *mentions* `href=` (escaped purchaser
 * text) is text. Conditional comments (`<!--[if mso]>…`), which Outlook renders, and
 * `srcdoc` documents are read too.
 *
 * @example
 * scanHtml('<p>&lt;a href="x"&gt; <a href="https://shop.example/">shop</a></p>').urls // ['https://shop.example/']
 */
export function scanHtml(html: string, into: HtmlScan = { urls: [], texts: [], active: [] }): HtmlScan {
  let text = '';
  let rawTextOf: string | undefined;
  let tag = '';
  const endBlock = (): void => {
    if (text.trim()) into.texts.push(text);
    text = '';
  };

  const parser = new Parser(
    {
      onopentagname(name) {
        tag = name;
        if (!INLINE_ELEMENTS.has(name)) endBlock();
        if (ACTIVE_ELEMENTS.has(name)) into.active.push(`<${name}>`);
      },
      // Every attribute, duplicates included (a client may read either copy).
      onattribute(name, value) {
        checkAttribute(tag, name, value, into);
      },
      onopentag(name, attribs) {
        if (name === 'meta' && attribs['http-equiv']?.trim().toLowerCase() === 'refresh') {
          into.urls.push(refreshTarget(attribs['content'] ?? ''));
        }
        if (name === 'style' || name === 'script') rawTextOf = name;
      },
      ontext(data) {
        if (rawTextOf === 'style') checkCss(data, into);
        else if (rawTextOf === undefined) text += data;
      },
      onclosetag(name) {
        if (name === rawTextOf) rawTextOf = undefined;
        if (!INLINE_ELEMENTS.has(name)) endBlock();
      },
      oncomment(data) {
        endBlock();
        scanHtml(data, into);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  endBlock();
  return into;
}

function checkAttribute(tag: string, name: string, value: string, into: HtmlScan): void {
  if (URL_ATTRIBUTES.has(name)) into.urls.push(value.trim());
  else if (URL_LIST_ATTRIBUTES.has(name)) {
    // srcset's descriptors (2x, 640w) are no URLs; a comma inside a URL only splits it in two findings.
    for (const part of value.split(/[\s,]+/)) if (part && !SRCSET_DESCRIPTOR.test(part)) into.urls.push(part);
  } else if (name === 'style') checkCss(value, into);
  else if (name === 'srcdoc') scanHtml(value, into);
  else if (name.startsWith('on')) into.active.push(`<${tag} ${name}>`);
}

function checkCss(css: string, into: HtmlScan): void {
  for (const m of css.matchAll(CSS_URL)) into.urls.push((m.slice(1).find((g) => g !== undefined) ?? '').trim());
  if (CSS_ACTIVE.test(css)) into.active.push('style');
}

/** `0; url=https://…` → the URL; a refresh with no URL reloads the page, still not ours. */
function refreshTarget(content: string): string {
  const url = /url\s*=\s*['"]?([^'"]*)/i.exec(content)?.[1];
  return (url ?? content).trim();
}
