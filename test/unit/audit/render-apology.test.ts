import { describe, expect, it } from 'vitest';
import { buildServiceLinks, findLinks, unexpectedLinks } from '../../../lambdas/mail/links';
import { renderApology } from '../../../lambdas/audit/render-apology';
import { UNSUBSCRIBE_LINK_EXAMPLE } from '../../helpers/factories';

const links = buildServiceLinks(
  { registryBaseUrl: 'https://shop.example/registry', helpUrl: 'https://shop.example/help' },
  UNSUBSCRIBE_LINK_EXAMPLE,
);

describe('renderApology', () => {
  it.each(['en', 'de'] as const)('in %s, links only to help and unsubscribe', (locale) => {
    const email = renderApology({ locale, addressIsCustomer: true, links, shopName: 'Shop', noticeSentAt: '2025-03-01T10:00:00Z' });
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(new Set(findLinks(email))).toEqual(new Set([links.help, links.unsubscribe]));
  });

  it('writes German to a German reader and names the day of the wrong email', () => {
    const email = renderApology({ locale: 'de', addressIsCustomer: true, links, shopName: 'Shop', noticeSentAt: '2025-03-01T10:00:00Z' });
    expect(email.subject).toBe('Wir haben Ihnen irrtümlich eine E-Mail geschickt');
    expect(email.text).toContain('am 1. März 2025');
    expect(email.template).toBe('apology/v1');
  });

  it.each([
    ['en', true],
    ['en', false],
    ['de', true],
    ['de', false],
  ] as const)('in %s (customer: %s), has no congratulations, baby words or sales, and links only to help and unsubscribe', (locale, addressIsCustomer) => {
    const email = renderApology({ locale, addressIsCustomer, links, shopName: 'Shop' });
    expect(new Set(findLinks(email))).toEqual(new Set([links.help, links.unsubscribe]));
    const { subject, text, html } = email;
    const all = `${subject}\n${text}\n${html}`.toLowerCase();
    for (const word of ['congrat', 'glückwunsch', 'baby', 'pregnan', 'schwanger', 'sale', 'angebot', 'offer', 'rabatt', 'discount', '<img']) {
      expect(all).not.toContain(word);
    }
  });

  describe('tells a customer their account is unchanged, and does not mention an account to anyone else', () => {
    const render = (locale: 'en' | 'de', addressIsCustomer: boolean) =>
      renderApology({ locale, addressIsCustomer, links, shopName: 'Shop', noticeSentAt: '2025-03-01T10:00:00Z' });

    it.each([
      {
        language: 'English',
        locale: 'en',
        sentence: 'You do not need to do anything, and nothing about your account has changed.',
        inHtml: 'nothing about your account has changed',
      },
      {
        language: 'German',
        locale: 'de',
        sentence: 'Sie müssen nichts tun, und an Ihrem Kundenkonto hat sich nichts geändert.',
        inHtml: 'an Ihrem Kundenkonto hat sich nichts geändert',
      },
    ] as const)('in $language, to a customer', ({ locale, sentence, inHtml }) => {
      const { text, html } = render(locale, true);
      expect(text).toContain(sentence);
      expect(html).toContain(inHtml);
    });

    it.each([
      { language: 'English', locale: 'en', line: 'You do not need to do anything.', accountWord: 'account' },
      { language: 'German', locale: 'de', line: 'Sie müssen nichts tun.', accountWord: 'konto' },
    ] as const)('in $language, to an address with no customer account', ({ locale, line, accountWord }) => {
      const { text, html } = render(locale, false);
      expect(text).toContain(`\n${line}\n`);
      expect(`${text}\n${html}`.toLowerCase()).not.toContain(accountWord);
    });

    it.each(['en', 'de'] as const)('in %s, says the rest the same way to both', (locale) => {
      const customer = render(locale, true).text.split('\n');
      const other = render(locale, false).text.split('\n');
      expect(other).toHaveLength(customer.length);
      expect(other.filter((line, i) => line !== customer[i])).toHaveLength(1);
      expect(render(locale, false).subject).toBe(render(locale, true).subject);
    });
  });
});
