import { SUPPORTED_LOCALES, type Locale } from '../../directory/facts';
import type { UnsubscribeScope } from '../unsubscribe/unsubscribe-token';
import { escapeHtml } from './escape-html';

/** The pages of the unsubscribe endpoint. Each names no address and no registry: a forwarded link shows nobody's data. */
export type UnsubscribePage =
  /** A valid link opened (GET): what it would stop, and a button that POSTs; nothing has changed yet. */
  | { readonly kind: 'CONFIRM'; readonly scope: UnsubscribeScope; readonly token: string }
  /** The unsubscribe is recorded (or was already). */
  | { readonly kind: 'DONE'; readonly scope: UnsubscribeScope }
  /** A bad, tampered or expired link: one page for all, so it tells nothing apart. */
  | { readonly kind: 'INVALID_LINK' }
  /** The key or the table could not be used just now. */
  | { readonly kind: 'TRY_LATER' };

interface Words {
  title: Record<UnsubscribePage['kind'], (scope?: UnsubscribeScope) => string>;
  confirmText: (scope: UnsubscribeScope, shop: string) => string;
  button: string;
  allButton: (shop: string) => string;
  doneText: (scope: UnsubscribeScope) => string;
  invalidText: string;
  tryLaterText: string;
}

const WORDS: Record<Locale, Words> = {
  en: {
    title: {
      CONFIRM: (scope) => (scope?.kind === 'REGISTRY' ? 'Unsubscribe from gift notices?' : 'Unsubscribe from all emails?'),
      DONE: () => 'You are unsubscribed',
      INVALID_LINK: () => 'This link does not work',
      TRY_LATER: () => 'Please try again in a few minutes',
    },
    confirmText: (scope, shop) =>
      scope.kind === 'REGISTRY'
        ? 'You will no longer get an email when someone buys a gift from this registry.'
        : `You will get no more emails from the ${shop} gift registry service.`,
    button: 'Unsubscribe',
    allButton: (shop) => `Unsubscribe from all emails from ${shop}`,
    doneText: (scope) =>
      scope.kind === 'REGISTRY' ? 'We will not email you about gifts from this registry again.' : 'We will not email you again.',
    invalidText:
      'It may be incomplete or too old. Nothing has been changed. To unsubscribe, use the link in a more recent email from us.',
    tryLaterText: 'We could not complete your request just now. Nothing has been changed.',
  },
  de: {
    title: {
      CONFIRM: (scope) => (scope?.kind === 'REGISTRY' ? 'Keine Geschenk-Benachrichtigungen mehr?' : 'Alle E-Mails abbestellen?'),
      DONE: () => 'Sie sind abgemeldet',
      INVALID_LINK: () => 'Dieser Link funktioniert nicht',
      TRY_LATER: () => 'Bitte versuchen Sie es in ein paar Minuten noch einmal',
    },
    confirmText: (scope, shop) =>
      scope.kind === 'REGISTRY'
        ? 'Sie erhalten dann keine E-Mail mehr, wenn jemand ein Geschenk von dieser Geschenkliste kauft.'
        : `Sie erhalten dann keine E-Mails mehr vom Geschenklisten-Service von ${shop}.`,
    button: 'Abmelden',
    allButton: (shop) => `Alle E-Mails von ${shop} abbestellen`,
    doneText: (scope) =>
      scope.kind === 'REGISTRY'
        ? 'Wir schreiben Ihnen zu Geschenken von dieser Geschenkliste keine E-Mails mehr.'
        : 'Wir schreiben Ihnen keine E-Mails mehr.',
    invalidText:
      'Er ist vielleicht unvollständig oder zu alt. Es wurde nichts geändert. Zum Abmelden nutzen Sie bitte den Link in einer neueren E-Mail von uns.',
    tryLaterText: 'Wir konnten Ihre Anfrage gerade nicht bearbeiten. Es wurde nichts geändert.',
  },
};

/** The form field our confirmation page adds to ask for every email to stop (one-click POSTs never carry it). */
export const ALL_MAIL_FIELD = 'scope';
/** Its value. */
export const ALL_MAIL_VALUE = 'all';
/** The form field that tells a POST from our page apart from a mail client's one-click POST. */
export const FROM_PAGE_FIELD = 'via';

/**
 * Renders one page of the unsubscribe endpoint as a small, script-free HTML document. The
 * confirmation form posts exactly what a one-click mail client posts (`List-Unsubscribe=One-Click`,
 * RFC 8058) to the same URL, so both take one path; its second button (notice links only) asks
 * for every email to stop.
 *
 * @example
 * renderUnsubscribePage({ kind: 'DONE', scope: { kind: 'ALL' } }, 'de', 'Example Shop') // '<!doctype html>…Sie sind abgemeldet…'
 */
export function renderUnsubscribePage(page: UnsubscribePage, locale: Locale, shopName: string): string {
  const w = WORDS[locale];
  const scope = page.kind === 'CONFIRM' || page.kind === 'DONE' ? page.scope : undefined;
  const title = w.title[page.kind](scope);
  const blocks = [`<h1>${escapeHtml(title)}</h1>`];
  switch (page.kind) {
    case 'CONFIRM': {
      const action = `?token=${encodeURIComponent(page.token)}`;
      const form = (extra: string, label: string): string =>
        `<form method="post" action="${escapeHtml(action)}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        `<input type="hidden" name="${FROM_PAGE_FIELD}" value="page">${extra}` +
        `<button type="submit">${escapeHtml(label)}</button></form>`;
      blocks.push(`<p>${escapeHtml(w.confirmText(page.scope, shopName))}</p>`, form('', w.button));
      if (page.scope.kind === 'REGISTRY') {
        blocks.push(form(`<input type="hidden" name="${ALL_MAIL_FIELD}" value="${ALL_MAIL_VALUE}">`, w.allButton(shopName)));
      }
      break;
    }
    case 'DONE':
      blocks.push(`<p>${escapeHtml(w.doneText(page.scope))}</p>`);
      break;
    case 'INVALID_LINK':
      blocks.push(`<p>${escapeHtml(w.invalidText)}</p>`);
      break;
    case 'TRY_LATER':
      blocks.push(`<p>${escapeHtml(w.tryLaterText)}</p>`);
      break;
  }
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222;max-width:36em;margin:2em auto;padding:0 1em">',
    ...blocks,
    `<p style="font-size:13px;color:#555">${escapeHtml(shopName)}</p>`,
    '</body></html>',
  ].join('\n');
}

/**
 * The language to answer in when the link says none (a bad link): the first of ours in the
 * browser's `Accept-Language`, by quality, else English. Hand-written: a few lines of header
 * parsing, where a negotiation library would add a dependency for two languages.
 *
 * @example
 * languageFromAcceptLanguage('fr-CH, de;q=0.8, en;q=0.5') // 'de'
 */
export function languageFromAcceptLanguage(header: string | undefined): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const found = ranked.find((entry) => (SUPPORTED_LOCALES as readonly string[]).includes(entry.language));
  return (found?.language as Locale | undefined) ?? 'en';
}
