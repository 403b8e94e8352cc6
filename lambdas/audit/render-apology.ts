import type { Locale } from '../directory/facts';
import type { NoticeLinks } from '../mail/links';
import { escapeHtml } from '../mail/render/escape-html';
import { htmlDocument, linkTo, paragraph, smallPrint } from '../mail/render/html-document';
import { plainText } from '../mail/render/plain-text';
import type { RenderedEmail } from '../notices/render-purchase-notice';

/** What an apology says, before rendering. Nothing in it comes from a purchaser or another system. */
export interface ApologyInput {
  readonly locale: Locale;
  /**
   * Whether the address belongs to one of our customers (found by address hash at send time).
   * Only then does the apology say that nothing about their account has changed: someone
   * without an account is not told about one.
   */
  readonly addressIsCustomer: boolean;
  /** When the wrong notice went out (ISO 8601), to help the reader place it; omitted when unknown. */
  readonly noticeSentAt?: string;
  /** Help and unsubscribe only (`buildServiceLinks`). */
  readonly links: NoticeLinks;
  readonly shopName: string;
}

export const APOLOGY_TEMPLATE = 'apology/v1';

interface Words {
  subject: string;
  hello: string;
  what: (date: string | undefined) => string;
  /** "You need do nothing", to a customer: their account is unchanged. */
  nothingToDoCustomer: string;
  /** "You need do nothing", to an address with no account: no account is mentioned. */
  nothingToDo: string;
  sorry: string;
  authenticity: string;
  help: string;
  unsubscribe: string;
  signOff: (shop: string) => string;
  dateLocale: string;
}

// Reviewed wording: see docs/apology-wording.md before changing a word. No congratulations,
// no pictures, no offers, no reference to babies or family, nothing to click but help and
// unsubscribe, and no claim we cannot stand behind.
const WORDS: Record<Locale, Words> = {
  en: {
    subject: 'We sent you an email by mistake',
    hello: 'Hello,',
    what: (date) =>
      `${date ? `On ${date}` : 'Recently'} we sent you an email about a purchase from a gift registry. ` +
      'It was not meant for you: an error in our systems sent it to the wrong people.',
    nothingToDoCustomer: 'You do not need to do anything, and nothing about your account has changed.',
    nothingToDo: 'You do not need to do anything.',
    sorry: 'We are sorry for the confusion, and for any distress the email may have caused.',
    authenticity:
      'This message asks nothing of you. We will never ask for your password or payment details by email.',
    help: 'If you have questions, our help pages are here:',
    unsubscribe: 'If you would rather not receive emails from us:',
    signOff: (shop) => shop,
    dateLocale: 'en-GB',
  },
  de: {
    subject: 'Wir haben Ihnen irrtümlich eine E-Mail geschickt',
    hello: 'Guten Tag,',
    what: (date) =>
      `${date ? `am ${date}` : 'vor Kurzem'} haben wir Ihnen eine E-Mail über einen Kauf von einer Wunschliste geschickt. ` +
      'Sie war nicht für Sie bestimmt: Durch einen Fehler in unseren Systemen ging sie an die falschen Empfänger.',
    nothingToDoCustomer: 'Sie müssen nichts tun, und an Ihrem Kundenkonto hat sich nichts geändert.',
    nothingToDo: 'Sie müssen nichts tun.',
    sorry: 'Bitte entschuldigen Sie die Verwirrung und jeden Kummer, den diese E-Mail Ihnen bereitet haben mag.',
    authenticity:
      'Diese Nachricht verlangt nichts von Ihnen. Wir fragen Sie nie per E-Mail nach Ihrem Passwort oder Ihren Zahlungsdaten.',
    help: 'Bei Fragen helfen Ihnen unsere Hilfeseiten weiter:',
    unsubscribe: 'Wenn Sie keine E-Mails mehr von uns erhalten möchten:',
    signOff: (shop) => shop,
    dateLocale: 'de-DE',
  },
};

/**
 * Renders the apology for a wrongly sent purchase notice, in the recipient's language,
 * as HTML and text. Its only links are help and unsubscribe; the caller still runs the
 * link guard (`unexpectedLinks`) before sending.
 *
 * @example
 * const email = renderApology({ locale: 'de', addressIsCustomer: true, links: buildServiceLinks(config), shopName: 'Shop' });
 */
export function renderApology(input: ApologyInput): RenderedEmail {
  const w = WORDS[input.locale];
  const date = formatDate(input.noticeSentAt, w.dateLocale);
  const { help, unsubscribe } = input.links;
  const nothingToDo = input.addressIsCustomer ? w.nothingToDoCustomer : w.nothingToDo;

  const text = plainText([
    [w.hello],
    [w.what(date)],
    [nothingToDo],
    [w.sorry],
    [w.authenticity],
    [w.help, help],
    [w.unsubscribe, unsubscribe],
    [w.signOff(input.shopName)],
  ]);

  const e = escapeHtml;
  const html = htmlDocument(input.locale, w.subject, [
    paragraph(e(w.hello)),
    paragraph(e(w.what(date))),
    paragraph(e(nothingToDo)),
    paragraph(e(w.sorry)),
    paragraph(e(w.authenticity)),
    paragraph(`${e(w.help)} ${linkTo(help)}`),
    smallPrint(`${e(w.unsubscribe)} ${linkTo(unsubscribe)}`),
    paragraph(e(w.signOff(input.shopName))),
  ]);

  return { template: APOLOGY_TEMPLATE, locale: input.locale, subject: w.subject, html, text };
}

// A formatter per locale, made once per container: making one costs far more than formatting (every apology formats a date).
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(iso: string | undefined, locale: string): string | undefined {
  if (!iso) return undefined;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return undefined;
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
  return format.format(at);
}
