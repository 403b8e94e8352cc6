import type { Locale } from '../directory/facts';
import type { NoticeLinks } from '../mail/links';
import { escapeHtml } from '../mail/render/escape-html';
import { htmlDocument, linkTo, paragraph, smallPrint } from '../mail/render/html-document';
import { plainText } from '../mail/render/plain-text';
import { neutralizeText, singleLine } from '../mail/render/neutralize-text';

/** What a purchase notice says, before rendering. Purchaser-written fields are untrusted. */
export interface PurchaseNoticeInput {
  readonly locale: Locale;
  /** Ours: the owner's first name, if we have it. */
  readonly ownerFirstName?: string;
  /** Ours: the registry's name. */
  readonly registryTitle?: string;
  /** Untrusted: from the purchase message. */
  readonly itemTitle: string;
  readonly quantity: number;
  /** Untrusted; absent for an anonymous gift. */
  readonly purchaserName?: string;
  /** Untrusted; shown as plain text. */
  readonly giftMessage?: string;
  readonly links: Required<NoticeLinks>;
  /** The shop's name as the sender signs. */
  readonly shopName: string;
}

/** A rendered email: both parts, and the template that made it (for the ledger). */
export interface RenderedEmail {
  readonly template: string;
  readonly locale: Locale;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export const PURCHASE_NOTICE_TEMPLATE = 'purchase-notice/v1';

interface Words {
  subject: string;
  hello: (name: string | undefined) => string;
  bought: (who: string | undefined, quantity: number, item: string, registry: string | undefined) => string;
  theirMessage: string;
  seeRegistry: string;
  why: string;
  settings: string;
  help: string;
  authenticity: string;
  signOff: (shop: string) => string;
}

// Plain, factual wording: the owner asked to hear about purchases, nothing more.
const WORDS: Record<Locale, Words> = {
  en: {
    subject: 'A gift was bought from your registry',
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    bought: (who, q, item, registry) =>
      `${who ?? 'Someone'} bought ${q} × “${item}” from your registry${registry ? ` “${registry}”` : ''}.`,
    theirMessage: 'Their message to you:',
    seeRegistry: 'See your registry',
    why: 'You are receiving this email because purchase notifications are turned on for your registry.',
    settings: 'Prefer to keep gifts a surprise? Change your notification settings',
    help: 'Help',
    authenticity: 'We will never ask for your password or payment details by email.',
    signOff: (shop) => `${shop}`,
  },
  de: {
    subject: 'Ein Geschenk von Ihrer Wunschliste wurde gekauft',
    hello: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
    bought: (who, q, item, registry) =>
      `${who ?? 'Jemand'} hat ${q} × „${item}“ von Ihrer Wunschliste${registry ? ` „${registry}“` : ''} gekauft.`,
    theirMessage: 'Die Nachricht an Sie:',
    seeRegistry: 'Zu Ihrer Wunschliste',
    why: 'Sie erhalten diese E-Mail, weil Kaufbenachrichtigungen für Ihre Wunschliste eingeschaltet sind.',
    settings: 'Lieber überrascht werden? Benachrichtigungen ändern',
    help: 'Hilfe',
    authenticity: 'Wir fragen Sie nie per E-Mail nach Ihrem Passwort oder Ihren Zahlungsdaten.',
    signOff: (shop) => `${shop}`,
  },
};

/**
 * Renders a purchase notice in the owner's language, as HTML and text.
 * Everything a purchaser or the owner wrote is neutralized (no links, addresses or phone
 * numbers) and escaped (no markup); the subject is fixed per language, so nothing untrusted
 * reaches a header.
 *
 * @example
 * const email = renderPurchaseNotice({ locale: 'de', itemTitle: 'Kinderwagen', quantity: 1, links, shopName: 'Shop' });
 */
export function renderPurchaseNotice(input: PurchaseNoticeInput): RenderedEmail {
  const w = WORDS[input.locale];
  const owner = input.ownerFirstName ? singleLine(neutralizeText(input.ownerFirstName)) : undefined;
  const registry = input.registryTitle ? singleLine(neutralizeText(input.registryTitle)) : undefined;
  const who = input.purchaserName ? singleLine(neutralizeText(input.purchaserName)) : undefined;
  const item = singleLine(neutralizeText(input.itemTitle));
  const message = input.giftMessage ? neutralizeText(input.giftMessage).trim() : undefined;
  const { links } = input;

  const text = plainText([
    [w.hello(owner)],
    [w.bought(who, input.quantity, item, registry)],
    ...(message ? [[w.theirMessage, ...message.split('\n').map((l) => `> ${l}`)]] : []),
    [`${w.seeRegistry}:`, links.registryPage],
    [w.why, `${w.settings}:`, links.unsubscribe, `${w.help}:`, links.help],
    [w.authenticity],
    [w.signOff(input.shopName)],
  ]);

  const e = escapeHtml;
  const html = htmlDocument(input.locale, w.subject, [
    paragraph(e(w.hello(owner))),
    paragraph(e(w.bought(who, input.quantity, item, registry))),
    ...(message
      ? [
          paragraph(e(w.theirMessage)),
          `<blockquote style="margin:0 0 16px;padding-left:12px;border-left:3px solid #ccc">${message
            .split('\n')
            .map(e)
            .join('<br>')}</blockquote>`,
        ]
      : []),
    paragraph(linkTo(links.registryPage, w.seeRegistry)),
    smallPrint(`${e(w.why)} ${linkTo(links.unsubscribe, w.settings)} · ${linkTo(links.help, w.help)}`),
    smallPrint(e(w.authenticity)),
    paragraph(e(w.signOff(input.shopName))),
  ]);

  return { template: PURCHASE_NOTICE_TEMPLATE, locale: input.locale, subject: w.subject, html, text };
}
