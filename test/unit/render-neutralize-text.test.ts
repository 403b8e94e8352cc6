import { describe, expect, it } from 'vitest';
import { neutralizeText } from '../../lambdas/mail/render/neutralize-text';
import { breakPhoneNumbers, phoneNumberRuns } from '../../lambdas/mail/render/phone-numbers';

describe('neutralizeText', () => {
  it.each([
    ['a zero-width space', 'evil.\u200bcom', 'evil·com'],
    ['a soft hyphen', 'www.\u00adevil.com', 'www·evil·com'],
    ['a word joiner and a BOM', 'evil\u2060.\ufeffcom', 'evil·com'],
    ['a zero-width joiner between Latin letters', 'evil.c\u200dom', 'evil·com'],
    ['a variation selector', 'evil.c\ufe0fom', 'evil·com'],
    ['a right-to-left override', '\u202emoc.live\u202c', 'moc·live'],
    ['bidi isolates and marks', '\u2066evil\u200f.com\u2069', 'evil·com'],
    ['a Hangul filler', 'evil.\u3164com', 'evil·com'],
  ])('removes %s before deciding, so the domain is seen and broken', (_, input, expected) => {
    expect(neutralizeText(input)).toBe(expected);
  });

  it.each([
    ['U+2024 one dot leader', 'evil\u2024com', 'evil·com'],
    ['fullwidth letters and stop', 'ｅｖｉｌ．ｃｏｍ', 'evil·com'],
    ['a fullwidth scheme', 'ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ', 'https꞉∕∕evil·com'],
    ['a fullwidth at sign', 'eve＠evil.com', 'eve＠evil·com'],
    ['a ligature that folds into a TLD', 'evil.\ufb01', 'evil·fi'],
    ['circled letters', 'ⓔⓥⓘⓛ.ⓒⓞⓜ', 'evil·com'],
    ['the ideographic full stop before a Latin TLD', 'evil。com', 'evil·com'],
  ])('decides on the NFKC form: %s', (_, input, expected) => {
    expect(neutralizeText(input)).toBe(expected);
  });

  it.each([
    ['a URL', 'http://evil.com/login', 'http꞉∕∕evil·com/login'],
    ['javascript:', 'javascript:alert(1)', 'javascript꞉alert(1)'],
    ['a data: URI', 'data:text/html;base64,PHM+', 'data꞉text/html;base64,PHM+'],
    ['a protocol-relative URL', '//evil.com', '∕∕evil·com'],
    ['a short IPv4 address', '1.2.3.4', '1·2·3·4'],
  ])('breaks %s with look-alikes that NFKC leaves alone', (_, input, expected) => {
    // Act
    const out = neutralizeText(input);

    // Assess
    expect(out).toBe(expected);
    expect(out.normalize('NFKC')).toBe(out);
  });

  it.each([
    ['an address', 'mailto:eve@evil.de', 'mailto꞉eve＠evil·de'],
    ['localhost, which linkifiers take without a dot', 'eve@localhost:8080', 'eve＠local·host꞉8080'],
  ])('breaks %s; its ＠ only hints (NFKC folds it back), the broken host is what counts', (_, input, expected) => {
    expect(neutralizeText(input)).toBe(expected);
  });

  it.each([
    ['+1 (555) 010-0199', '+1·(555)·010·0199'],
    ['555-0199', '555·0199'],
    ['0049 30 1234567', '0049·30·1·234·567'],
    ['+44 20 7946 0958', '+44·20·7946·0958'],
    ['555.010.0199', '555·010·0199'],
    ['５５５－０１９９', '555·0199'],
    ['555\u200b-0199', '555·0199'],
    ['٠١٢٣٤٥٦٧٨٩', '٠·١٢٣·٤٥٦·٧٨٩'],
  ])('makes the phone number %s inert', (input, expected) => {
    // Act
    const out = neutralizeText(input);

    // Assess
    expect(phoneNumberRuns(input.normalize('NFKC').replace(/\u200b/g, ''))).toHaveLength(1);
    expect(out).toBe(expected);
    expect(phoneNumberRuns(out)).toEqual([]);
  });

  it.each([
    'Love, Ann & Tom :)',
    "C'est pour bébé!",
    '3.5 kg',
    'at 10:30',
    '€12.99 or $1,234.56',
    'Berlin 10115',
    'LEGO 10696',
    'since 2025',
    'For the little one',
    '👨‍👩‍👧 ❤️ 👍🏽 🇩🇪 1️⃣',
    'می‌خواهم',
    'ශ්‍රී ලංකා',
    'I <3 you',
  ])('leaves %s as written', (input) => {
    expect(neutralizeText(input)).toBe(input);
  });

  it('keeps line breaks of a message and drops control characters', () => {
    expect(neutralizeText('Dear Ann,\r\nlove\u0007 May\u2028')).toBe('Dear Ann,\nlove May');
  });
});

describe('breakPhoneNumbers', () => {
  it('keeps brackets and an extension mark, so the number still reads as one', () => {
    expect(breakPhoneNumbers('(555) 010 0199 x12')).toBe('(555)·010·0199·x12');
  });

  it('leaves runs of five digits or fewer alone', () => {
    expect(breakPhoneNumbers('12 345 and 99-999')).toBe('12 345 and 99-999');
  });
});
