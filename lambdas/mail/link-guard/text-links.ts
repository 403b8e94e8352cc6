import LinkifyIt from 'linkify-it';
import tlds from 'tlds';
import { phoneNumberRuns } from '../render/phone-numbers';

// Every IANA top-level domain: mail clients link more than linkify-it's short default list.
const linkify = new LinkifyIt().tlds(tlds, true);
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * What a mail client could make a link of in plain text: what linkify-it finds (URLs,
 * `www.` and bare domains with any IANA TLD, addresses), in the text as written and as a
 * client may read it (invisible characters skipped, NFKC-folded), and phone numbers a
 * mobile client would make tap-to-call (reported as `tel:` and their digits).
 *
 * @example
 * textLinks('see www.evil.com or call 555 010 0199') // ['http://www.evil.com', 'tel:5550100199']
 */
export function textLinks(text: string): string[] {
  const found: string[] = [];
  for (const view of new Set([text, text.replace(INVISIBLE, '').normalize('NFKC')])) {
    let rest = view;
    for (const match of linkify.match(view) ?? []) {
      found.push(match.url);
      // Digits inside a link are the link's, not a phone number.
      rest = rest.slice(0, match.index) + ' '.repeat(match.lastIndex - match.index) + rest.slice(match.lastIndex);
    }
    for (const run of phoneNumberRuns(rest)) found.push(`tel:${run.replace(/[^+\p{Nd}]/gu, '')}`);
  }
  return found;
}
