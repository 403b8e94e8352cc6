import { breakPhoneNumbers } from './phone-numbers';

// Control characters but tab and newline; DEL and C1 too; line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// Whole emoji (families joined by ZWJ, skin tones, flags, keycaps, tag sequences) pass as they
// are: their joiners and variation selectors sit between pictographs, where no link can form.
const EMOJI = /\p{RGI_Emoji}/gv;
// Invisible characters a client may skip when it looks for links, though we would see them:
// format characters (zero-width space and joiners, soft hyphen, bidi controls, word joiner,
// BOM, tags), variation selectors, combining grapheme joiner, Hangul fillers, ...
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
// Scripts whose spelling needs ZWNJ/ZWJ between letters (Persian "می‌خواهم", Sinhala "ශ්‍රී").
// There they stay: between two such letters no dot, `@` or colon can hide.
const JOINING_LETTER =
  /^[[\p{L}\p{M}]&&[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Mong}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}]]$/v;
const JOINERS = new Set(['\u200c', '\u200d']);

/** Look-alikes that NFKC does not fold back. */
const MIDDLE_DOT = '\u00b7';
const MODIFIER_COLON = '\ua789';
const DIVISION_SLASH = '\u2215';
const FULLWIDTH_AT = '\uff20';

/**
 * Makes text someone else wrote (a purchaser's name and message, an item title, a registry
 * title) inert in an email: it stays readable, but no mail client can turn it into a link,
 * an address or a phone number.
 *
 * 1. Removes control and invisible characters (zero-width, soft hyphen, bidi controls,
 *    variation selectors, ...), keeping whole emoji and the joiners some scripts spell with.
 * 2. Normalises to NFKC, so whatever folds back into a domain, scheme or address
 *    (fullwidth `ｅｖｉｌ．ｃｏｍ`, U+2024 `․`, `＠`, the ligature `ﬁ`) is decided as what it is.
 * 3. Breaks what could link, with look-alikes NFKC leaves alone: a dot before a letter
 *    becomes `·` (U+00B7), as do the dots of an IPv4 address, and `localhost` gets one inside;
 *    a colon after a word (a scheme, a port) becomes `꞉` (U+A789); `//` becomes `∕∕`
 *    (U+2215); `@` is shown as `＠` (NFKC folds that one back: the broken host after it is
 *    what counts); phone numbers get `·` between their groups (`phone-numbers.ts`).
 *
 * docs/link-guard.md says why each look-alike, and what stays as written.
 *
 * HTML escaping is separate (`escapeHtml`); this is about what clients *linkify*.
 *
 * @example
 * neutralizeText('see www.evil.example') // 'see www·evil·example'
 * neutralizeText('call 555-0199')        // 'call 555·0199'
 */
export function neutralizeText(input: string): string {
  const plain = input.replace(CONTROL_CHARS, '').replace(/\r\n?/g, '\n');
  return breakPhoneNumbers(
    outsideEmoji(plain, (run) => withoutInvisibles(run).normalize('NFKC'))
      // a label followed by a letter, symbol or mark: evil.com, www.x, evil.ﬁ (after NFKC: .fi)
      .replace(/(?<=\S)\.(?=[\p{L}\p{M}\p{S}])/gu, MIDDLE_DOT)
      // the ideographic full stop, which browsers take for a dot, before a Latin TLD
      .replace(/(?<=[\p{L}\p{N}])\u3002(?=[A-Za-z])/gu, MIDDLE_DOT)
      // IPv4 addresses too short to count as a phone number (1.2.3.4)
      .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, (ip) => ip.replaceAll('.', MIDDLE_DOT))
      // the one host name linkifiers take without a dot
      .replace(/\b(local)(host)\b/gi, `$1${MIDDLE_DOT}$2`)
      .replace(/(?<=\p{L}[\p{L}\p{N}+.-]*):(?=\S)/gu, MODIFIER_COLON)
      .replace(/\/{2,}/g, (slashes) => DIVISION_SLASH.repeat(slashes.length))
      .replace(/@/g, FULLWIDTH_AT),
  );
}

/** Collapses text onto one line, for places (a name, a title) where a newline has no business. */
export function singleLine(input: string): string {
  return input.replace(/\s+/g, ' ').trim();
}

/** Applies `transform` to the text between whole emoji, leaving each emoji as it is. */
function outsideEmoji(text: string, transform: (run: string) => string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(EMOJI)) {
    out += transform(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + transform(text.slice(from));
}

function withoutInvisibles(text: string): string {
  return text.replace(INVISIBLE, (c, at: number) =>
    JOINERS.has(c) && JOINING_LETTER.test(text[at - 1] ?? '') && JOINING_LETTER.test(text[at + 1] ?? '') ? c : '',
  );
}
