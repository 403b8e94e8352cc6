import { describe, expect, it } from 'vitest';
import { buildServiceLinks, findLinks, unexpectedLinks } from '../../../lambdas/domain/links';
import { renderApology } from '../../../lambdas/domain/render/apology';

const links = buildServiceLinks({
  registryBaseUrl: 'https://shop.example/registry',
  helpUrl: 'https://shop.example/help',
  unsubscribeBaseUrl: 'https://shop.example/unsubscribe',
});

describe('renderApology', () => {
  it.each(['en', 'de'] as const)('in %s, links only to help and unsubscribe', (locale) => {
    const email = renderApology({ locale, links, shopName: 'Shop', noticeSentAt: '2025-03-01T10:00:00Z' });
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(new Set(findLinks(email))).toEqual(new Set([links.help, links.unsubscribe]));
  });

  it('writes German to a German reader and names the day of the wrong email', () => {
    const email = renderApology({ locale: 'de', links, shopName: 'Shop', noticeSentAt: '2025-03-01T10:00:00Z' });
    expect(email.subject).toBe('Wir haben Ihnen irrtümlich eine E-Mail geschickt');
    expect(email.text).toContain('am 1. März 2025');
    expect(email.template).toBe('apology/v1');
  });

  it.each(['en', 'de'] as const)('in %s, has no congratulations, baby words or sales', (locale) => {
    const { subject, text, html } = renderApology({ locale, links, shopName: 'Shop' });
    const all = `${subject}\n${text}\n${html}`.toLowerCase();
    for (const word of ['congrat', 'glückwunsch', 'baby', 'pregnan', 'schwanger', 'sale', 'angebot', 'offer', 'rabatt', 'discount', '<img']) {
      expect(all).not.toContain(word);
    }
  });
});
