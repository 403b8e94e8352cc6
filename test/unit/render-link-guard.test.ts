import { describe, expect, it } from 'vitest';
import { buildNoticeLinks, findLinks, unexpectedLinks } from '../../lambdas/mail/links';
import { htmlDocument, linkTo, paragraph } from '../../lambdas/mail/render/html-document';
import { UNSUBSCRIBE_LINK_EXAMPLE } from '../helpers/factories';

const links = buildNoticeLinks(
  {
    registryBaseUrl: 'https://shop.example/registry/',
    helpUrl: 'https://shop.example/help',
  },
  'reg-ann',
  UNSUBSCRIBE_LINK_EXAMPLE,
);

/** An email of ours whose body is `body` (already HTML) beside our own help link. */
const email = (body: string, text = ''): { html: string; text: string } => ({
  html: htmlDocument('en', 'Subject', [paragraph(body), paragraph(linkTo(links.help, 'Help'))]),
  text,
});

describe('link guard (reads the HTML as a client does)', () => {
  it('lets our own links through, and nothing else is found in our document', () => {
    // Act
    const found = findLinks(email('Hello'));

    // Assess
    expect(found).toEqual([links.help]);
    expect(unexpectedLinks(email('Hello'), links)).toEqual([]);
  });

  it('takes escaped markup for the text it is: href=, src=, action= and <script> in words are neither links nor scripts', () => {
    // Prepare
    const body = '&lt;a href=&quot;top&quot;&gt;click&lt;/a&gt; &lt;img src=x onerror=alert(1)&gt; &lt;form action=y&gt;&lt;script&gt;x&lt;/script&gt;';

    // Act
    const found = unexpectedLinks(email(body), links);

    // Assess
    expect(found).toEqual([]);
  });

  it.each([
    ['an anchor', '<a href="https://evil.example/">x</a>', 'https://evil.example/'],
    ['an image', "<img src='https://t.example/p.gif'>", 'https://t.example/p.gif'],
    ['an unquoted attribute with entities', '<a href=https&#58;//evil.example/>x</a>', 'https://evil.example/'],
    ['a form', '<form action="https://evil.example/post"></form>', 'https://evil.example/post'],
    ['a button formaction', '<button formaction="https://evil.example/b">x</button>', 'https://evil.example/b'],
    ['a table background', '<table background="https://evil.example/bg.png"></table>', 'https://evil.example/bg.png'],
    ['a video poster', '<video poster="https://evil.example/p.jpg"></video>', 'https://evil.example/p.jpg'],
    ['a srcset candidate', '<img srcset="https://evil.example/a.png 1x, https://evil.example/b.png 2x">', 'https://evil.example/b.png'],
    ['a style url()', '<p style="background:url(\'https://evil.example/t.gif\')">x</p>', 'https://evil.example/t.gif'],
    ['a <style> @import', '<style>@import "https://evil.example/x.css";</style>', 'https://evil.example/x.css'],
    ['a meta refresh', '<meta http-equiv="Refresh" content="0; URL=https://evil.example/">', 'https://evil.example/'],
    ['a base href', '<base href="https://evil.example/">', 'https://evil.example/'],
    ['an SVG xlink:href', '<svg><a xlink:href="https://evil.example/s">x</a></svg>', 'https://evil.example/s'],
    ['a second href on one element', `<a href="${links.help}" href="https://evil.example/dup">x</a>`, 'https://evil.example/dup'],
    ['an Outlook conditional comment', '<!--[if mso]><a href="https://evil.example/mso">x</a><![endif]-->', 'https://evil.example/mso'],
    ['an iframe srcdoc', '<iframe srcdoc="&lt;a href=&quot;https://evil.example/in&quot;&gt;x&lt;/a&gt;"></iframe>', 'https://evil.example/in'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>', 'javascript:alert(1)'],
    ['a bare domain in the HTML text', 'see evil.com today', 'http://evil.com'],
  ])('finds %s', (_, body, expected) => {
    // Act
    const found = unexpectedLinks(email(body), links);

    // Assess
    expect(found).toContain(expected);
  });

  it.each([
    ['a script', '<script>alert(1)</script>', '<script>'],
    ['an event handler', '<img onerror="alert(1)">', '<img onerror>'],
    ['an iframe', '<iframe></iframe>', '<iframe>'],
    ['CSS that runs code', '<p style="width:expression(alert(1))">x</p>', 'style'],
  ])('blocks %s, which acts rather than links', (_, body, expected) => {
    expect(unexpectedLinks(email(body), links)).toContain(expected);
  });

  it('reads text across inline elements as a client does, but not across blocks', () => {
    // Assess
    expect(unexpectedLinks(email('evil<b></b>.com'), links)).toContain('http://evil.com');
    expect(unexpectedLinks(email('evil</p><p>.com'), links)).toEqual([]);
  });

  it('finds a bare URL a mail client would auto-link in the text part', () => {
    expect(unexpectedLinks({ html: '', text: 'see www.evil.com now' }, links)).toEqual(['http://www.evil.com']);
  });

  it('reads text as a client may: invisible characters skipped, NFKC-folded', () => {
    // Prepare
    const text = 'evil.\u200bcom and ｅｖｉｌ．ｄｅ and evil\u2024org';

    // Act
    const found = unexpectedLinks({ html: '', text }, links);

    // Assess
    expect(found).toEqual(expect.arrayContaining(['http://evil.com', 'http://evil.de', 'http://evil.org']));
  });

  it('builds a registry page link that survives linkifying, even for an id ending in a dot', () => {
    // Prepare
    const ours = buildNoticeLinks(
      { registryBaseUrl: 'https://shop.example/r', helpUrl: 'https://shop.example/help' },
      'reg-ann.',
      UNSUBSCRIBE_LINK_EXAMPLE,
    );

    // Act
    const found = findLinks({ html: '', text: `${ours.registryPage}\n${ours.unsubscribe}` });

    // Assess
    expect(ours.registryPage).toBe('https://shop.example/r/reg-ann%2E');
    expect(found).toEqual([ours.registryPage, ours.unsubscribe]);
  });

  it('counts a phone number as a link (mobile clients make it tap-to-call), but not digits inside our own links', () => {
    // Prepare
    const ours = buildNoticeLinks(
      { registryBaseUrl: 'https://shop.example/r', helpUrl: 'https://shop.example/help' },
      'reg-2024-000123',
      UNSUBSCRIBE_LINK_EXAMPLE,
    );

    // Act
    const found = unexpectedLinks({ html: '', text: `call +1 (555) 010-0199\n${ours.registryPage}\n${ours.unsubscribe}` }, ours);

    // Assess
    expect(found).toEqual(['tel:+15550100199']);
  });
});
