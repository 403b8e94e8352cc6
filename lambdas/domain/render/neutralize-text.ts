// Bidi overrides and isolates can make text read differently from what it is.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
// Control characters but tab and newline; DEL and C1 too.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Makes text a purchaser wrote inert in an email: it stays readable, but no mail
 * client can turn it into a link or an address. Dots between letters become a
 * look-alike (U+2024), `@` becomes a full-width `＠`, and a scheme's colon becomes
 * a modifier colon, so `evil.example/login` or `http://x` never auto-link.
 * HTML escaping is separate (`escapeHtml`); this is about what clients *linkify*.
 *
 * @example
 * neutralizeText('see www.evil.example') // 'see www․evil․example'
 */
export function neutralizeText(input: string): string {
  return input
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROL_CHARS, '')
    .replace(/\r\n?/g, '\n')
    .replace(/([\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '$1\u2024')
    .replace(/@/g, '\uff20')
    .replace(/:(?=\/\/)/g, '\ua789')
    .replace(/\b(mailto|tel|sms|data|javascript|file|ftp|https?|www)(?=:)/gi, '$1\u2060');
}

/** Collapses text onto one line, for places (a name, a title) where a newline has no business. */
export function singleLine(input: string): string {
  return input.replace(/\s+/g, ' ').trim();
}
