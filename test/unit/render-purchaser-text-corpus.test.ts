import { readFileSync } from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import LinkifyIt from 'linkify-it';
import * as linkifyjs from 'linkifyjs';
import tlds from 'tlds';
import { describe, expect, it } from 'vitest';
import { buildNoticeLinks, unexpectedLinks } from '../../lambdas/mail/links';
import { PHONE_MIN_DIGITS } from '../../lambdas/mail/render/phone-numbers';
import { renderPurchaseNotice, type PurchaseNoticeInput, type RenderedEmail } from '../../lambdas/notices/render-purchase-notice';
import { UNSUBSCRIBE_LINK_EXAMPLE } from '../helpers/factories';

// The corpus grows in its data file; this test holds every entry to the same rules.
const corpus = JSON.parse(readFileSync(new URL('../corpus/purchaser-texts.json', import.meta.url), 'utf8')) as {
  benign: string[];
  hostile: string[];
};

const links = buildNoticeLinks(
  { registryBaseUrl: 'https://shop.example/registry', helpUrl: 'https://shop.example/help' },
  'reg-ann',
  UNSUBSCRIBE_LINK_EXAMPLE,
);
const ours = new Set<string>(Object.values(links));

/** Each place a purchaser's text can appear, rendered on its own. */
const FIELDS = {
  purchaserName: (text: string): Partial<PurchaseNoticeInput> => ({ purchaserName: text }),
  giftMessage: (text: string): Partial<PurchaseNoticeInput> => ({ giftMessage: text }),
  itemTitle: (text: string): Partial<PurchaseNoticeInput> => ({ itemTitle: text }),
} as const;

const render = (overrides: Partial<PurchaseNoticeInput>): RenderedEmail =>
  renderPurchaseNotice({ locale: 'en', itemTitle: 'Stroller', quantity: 1, links, shopName: 'Example Shop', ...overrides });

// Two linkifiers that share no code: linkify-it (what the guard uses) and linkifyjs.
const linkifyIt = new LinkifyIt().tlds(tlds, true);
const REGIONS: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'ES', 'IT', 'BR', 'JP', 'AU', 'CA', 'NL', 'PL', 'TR', 'MX', 'CN', 'RU', 'SE', 'AT', 'CH'];

/** The text of both parts as a client may read it (NFKC-folded). */
const readable = (email: RenderedEmail): string[] =>
  [email.text, DomUtils.textContent(parseDocument(email.html))].map((t) => t.normalize('NFKC'));

/** Links either linkifier finds that are not ours. */
const foreignLinks = (text: string): string[] =>
  [...(linkifyIt.match(text) ?? []).map((m) => m.url), ...linkifyjs.find(text).map((m) => m.href)].filter((url) => !ours.has(url));

/** Phone numbers libphonenumber (Android's detector) would find, at its most lenient, in any of 20 regions. */
const phoneNumbers = (text: string): string[] =>
  REGIONS.flatMap((defaultCountry) => findPhoneNumbersInText(text, { defaultCountry, extended: true }))
    .map((found) => text.slice(found.startsAt, found.endsAt))
    .filter((number) => number.replace(/\D/g, '').length >= PHONE_MIN_DIGITS);

/** Letters and digits in order: what a reader must still be able to read. */
const words = (text: string): string =>
  text
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
    .normalize('NFKC')
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '');

/** Every tag of the HTML with its attributes, line breaks aside: the structure a producer must not change. */
const tags = (html: string): string[] => (html.match(/<[^>]*>/g) ?? []).filter((tag) => tag !== '<br>');

describe('purchaser text corpus (test/corpus/purchaser-texts.json)', () => {
  it('has at least 200 benign and 200 hostile texts', () => {
    expect(corpus.benign.length).toBeGreaterThanOrEqual(200);
    expect(corpus.hostile.length).toBeGreaterThanOrEqual(200);
  });

  it('is hostile indeed: as written, most of its texts are links, addresses or phone numbers to these same checks', () => {
    // Act: the checks below, on the raw texts (the rest are disguises no linkifier links, kept for clients that might)
    const caught = corpus.hostile.filter((text) => {
      const raw = text.replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '').normalize('NFKC');
      return foreignLinks(raw).length > 0 || phoneNumbers(raw).length > 0;
    });

    // Assess
    expect(caught.length).toBeGreaterThan(corpus.hostile.length * 0.75);
  });

  describe.each(Object.entries(FIELDS))('as the %s', (_, place) => {
    it('sends every benign text, every word of it still readable', () => {
      // Act
      const results = corpus.benign.map((text) => ({ text, email: render(place(text)) }));

      // Assess
      const blocked = results.filter(({ email }) => unexpectedLinks(email, links).length > 0).map(({ text }) => text);
      const unreadable = results.filter(({ text, email }) => !words(email.text).includes(words(text))).map(({ text }) => text);
      expect(blocked).toEqual([]);
      expect(unreadable).toEqual([]);
    }, 60_000);

    it('sends every hostile text inert: no link, address or phone number for either linkifier or libphonenumber, no foreign markup', () => {
      // Prepare
      const baseline = tags(render(place('x')).html);

      // Act
      const results = corpus.hostile.map((text) => ({ text, email: render(place(text)) }));

      // Assess
      const problems = results.flatMap(({ text, email }) => {
        const found = [
          ...unexpectedLinks(email, links).map((l) => `guard: ${l}`),
          ...readable(email).flatMap((t) => [...foreignLinks(t).map((l) => `linkifier: ${l}`), ...phoneNumbers(t).map((n) => `phone: ${n}`)]),
          ...(JSON.stringify(tags(email.html)) === JSON.stringify(baseline) ? [] : ['html: tags differ from the template']),
          ...(words(email.text).includes(words(text)) ? [] : ['text: words lost']),
        ];
        return found.length > 0 ? [{ text, found: [...new Set(found)] }] : [];
      });
      expect(problems).toEqual([]);
      // CPU-bound (hundreds of renders, two linkifiers, libphonenumber in 20 regions): give a loaded CI box room.
    }, 60_000);
  });
});
