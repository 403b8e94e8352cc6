import { escapeHtml } from './escape-html';

/** A body paragraph; `html` must already be escaped. */
export const paragraph = (html: string): string => `<p style="margin:0 0 16px">${html}</p>`;

/** A small grey paragraph for the why-you-get-this and settings lines; `html` must already be escaped. */
export const smallPrint = (html: string): string => `<p style="margin:0 0 16px;font-size:13px;color:#555">${html}</p>`;

/** A link; both the target and the label are escaped here. */
export const linkTo = (href: string, label: string = href): string => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/**
 * Wraps body blocks in the plain, image-free document every email of ours uses.
 *
 * @example
 * htmlDocument('en', 'Subject', [paragraph('Hello,')])
 */
export function htmlDocument(lang: string, title: string, blocks: readonly string[]): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">`,
    // Asks WebKit-based clients not to link numbers, dates and addresses themselves. Not
    // relied on (most clients ignore it): what a purchaser wrote is made inert anyway.
    '<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">',
    ...blocks,
    '</body></html>',
  ].join('\n');
}
