import { describe, expect, it } from 'vitest';
import { buildNoticeLinks, findLinks, unexpectedLinks } from '../../lambdas/mail/links';
import { renderPurchaseNotice, type PurchaseNoticeInput } from '../../lambdas/notices/render-purchase-notice';
import { UNSUBSCRIBE_LINK_EXAMPLE } from '../helpers/factories';

const links = buildNoticeLinks(
  { registryBaseUrl: 'https://shop.example/registry/', helpUrl: 'https://shop.example/help' },
  'reg-ann',
  UNSUBSCRIBE_LINK_EXAMPLE,
);

const input = (overrides: Partial<PurchaseNoticeInput> = {}): PurchaseNoticeInput => ({
  locale: 'en',
  ownerFirstName: 'Ann',
  registryTitle: 'Ann & Ben',
  itemTitle: 'Stroller',
  quantity: 2,
  purchaserName: 'Aunt May',
  giftMessage: 'For the little one\nLove, May',
  links,
  shopName: 'Example Shop',
  ...overrides,
});

describe('renderPurchaseNotice', () => {
  it('writes to an English owner in English, in both parts, with the purchase facts', () => {
    // Act
    const email = renderPurchaseNotice(input());

    // Assess
    expect(email.subject).toBe('A gift was bought from your registry');
    expect(email.text).toContain('Hello Ann,');
    expect(email.text).toContain('Aunt May bought 2 × “Stroller” from your registry “Ann & Ben”.');
    expect(email.html).toContain('Aunt May bought 2 × “Stroller” from your registry “Ann &amp; Ben”.');
    expect(email.text).toContain('> For the little one\n> Love, May');
    expect(email.locale).toBe('en');
  });

  it('writes to a German owner in German', () => {
    // Act
    const email = renderPurchaseNotice(input({ locale: 'de' }));

    // Assess
    expect(email.subject).toBe('Ein Geschenk von Ihrer Wunschliste wurde gekauft');
    expect(email.text).toContain('Hallo Ann,');
    expect(email.text).toContain('Aunt May hat 2 × „Stroller“ von Ihrer Wunschliste „Ann & Ben“ gekauft.');
    expect(email.html).toContain('<html lang="de">');
  });

  it('says "Someone" for an anonymous gift and leaves out the message block when there is none', () => {
    // Act
    const email = renderPurchaseNotice(input({ purchaserName: undefined, giftMessage: undefined }));

    // Assess
    expect(email.text).toContain('Someone bought 2 × “Stroller”');
    expect(email.text).not.toContain('Their message to you');
  });

  it('escapes markup a purchaser wrote, so it shows as text', () => {
    // Act
    const email = renderPurchaseNotice(
      input({ purchaserName: '<img src=x onerror=alert(1)>', giftMessage: '<script>alert("x")</script>', itemTitle: '<b>' }),
    );

    // Assess
    expect(email.html).not.toMatch(/<img|<script|<b>/);
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('leaves no link or address a purchaser wrote that a mail client could follow', () => {
    // Act
    const email = renderPurchaseNotice(
      input({
        purchaserName: 'support@shop-example.com',
        giftMessage: 'Claim your voucher at http://evil.com/login or www.evil.de or evil.shop/x, mailto:eve@evil.example',
        itemTitle: 'Visit bit.ly/abc',
      }),
    );

    // Assess: the same text, unneutralized, is full of links (so this test can fail).
    expect(findLinks({ html: '', text: 'support@shop-example.com http://evil.com/login www.evil.de evil.shop/x bit.ly/abc' })).toHaveLength(5);
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(findLinks(email).sort()).toEqual([links.help, links.registryPage, links.unsubscribe].sort());
  });

  it('shows a gift message written as markup as its words, with no link or script in the HTML, and lets it go', () => {
    // Act
    const email = renderPurchaseNotice(input({ giftMessage: '<a href="http://x.example">click</a><script>x</script>' }));

    // Assess
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(email.html).not.toMatch(/<a href="http:\/\/x|<script/);
    expect(email.text).toContain('> <a href="http꞉∕∕x·example">click</a><script>x</script>');
    expect(email.html).toContain('&lt;a href=&quot;http꞉∕∕x·example&quot;&gt;click&lt;/a&gt;&lt;script&gt;x&lt;/script&gt;');
  });

  it('lets a purchaser named <img src=x> be named so', () => {
    // Act
    const email = renderPurchaseNotice(input({ purchaserName: '<img src=x>' }));

    // Assess
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(email.text).toContain('<img src=x> bought 2 × “Stroller”');
  });

  it('makes a phone number in a gift message inert for tap-to-call, and still readable', () => {
    // Act
    const email = renderPurchaseNotice(input({ giftMessage: 'Call us: +1 (555) 010-0199' }));

    // Assess
    expect(unexpectedLinks(email, links)).toEqual([]);
    expect(email.text).toContain('> Call us: +1·(555)·010·0199');
  });

  it('keeps newlines and control characters out of single-line fields', () => {
    // Act
    const email = renderPurchaseNotice(input({ purchaserName: 'May\r\nBcc: eve@evil.example', itemTitle: 'A\u202eB' }));

    // Assess
    expect(email.text).toContain('May Bcc: eve＠evil·example bought 2 × “AB”');
  });

  it('has a subject that depends on nothing the purchaser wrote', () => {
    expect(renderPurchaseNotice(input({ purchaserName: 'X\nSubject: hi' })).subject).toBe(
      renderPurchaseNotice(input()).subject,
    );
  });
});

describe('link guard', () => {
  it('finds an href that is not one of ours', () => {
    // Prepare
    const html = '<a href="https://shop.example/help">help</a><a href="https://evil.example/">x</a>';

    // Assess
    expect(unexpectedLinks({ html, text: '' }, links)).toEqual(['https://evil.example/']);
  });

  it('finds a bare URL a mail client would auto-link in the text part', () => {
    expect(unexpectedLinks({ html: '', text: 'see www.evil.com now' }, links)).toEqual(['http://www.evil.com']);
  });

  it('finds an image source, which is a link too', () => {
    expect(unexpectedLinks({ html: "<img src='https://t.example/p.gif'>", text: '' }, links)).toEqual([
      'https://t.example/p.gif',
    ]);
  });
});
