import type { Locale } from '../directory/facts';
import { buildServiceLinks, unexpectedLinks, type LinkConfig } from '../mail/links';
import { oneClickUnsubscribeHeaders } from '../mail/ses/ses-mailer';
import { renderApology } from '../audit/render-apology';

/** What the apology sender renders with, as the operator function knows it from its environment. */
export interface ApologyPreviewSettings {
  /** The shop's name the apology is signed with (`SHOP_NAME`, the sender's too). */
  readonly shopName: string;
  /** Help (and the registry base the link guard checks): the sender's `HELP_URL`. */
  readonly links: LinkConfig;
  /** The unsubscribe endpoint's base URL the sender signs links under; absent on a stack that does not tell it. */
  readonly unsubscribeBaseUrl?: string;
}

/** Which apology to show: the recipient's language, whether the address is a customer's, when the wrong notice went out. */
export interface ApologyPreviewRequest {
  readonly locale: Locale;
  /** @default true */
  readonly customer?: boolean;
  /** ISO 8601; without it the apology says "Recently". */
  readonly noticeSentAt?: string;
}

/** The apology as it goes to SES: subject, the one-click unsubscribe headers, HTML and text, and what the link guard found. */
export interface ApologyPreview {
  readonly locale: Locale;
  readonly subject: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly html: string;
  readonly text: string;
  /** Links the link guard would refuse (empty: the apology may go). */
  readonly linkGuardFindings: readonly string[];
}

/**
 * The token in a preview's unsubscribe link. The sender signs one for each recipient with the
 * KMS link key, which the operator function may not use; this one is refused by the endpoint,
 * so clicking it in a preview unsubscribes nobody.
 */
export const PREVIEW_UNSUBSCRIBE_TOKEN = 'preview-signed-per-recipient';

/**
 * Renders the apology with the sender's own renderer (`renderApology`) and settings, so the
 * operator sees before approving exactly what a recipient of that language will get; only the
 * unsubscribe token differs (see {@link PREVIEW_UNSUBSCRIBE_TOKEN}).
 *
 * @example
 * previewApology({ locale: 'de' }, settings).subject // 'Wir haben Ihnen irrtümlich eine E-Mail geschickt'
 */
export function previewApology(request: ApologyPreviewRequest, settings: ApologyPreviewSettings): ApologyPreview {
  const base = new URL(settings.unsubscribeBaseUrl ?? 'https://unsubscribe.invalid/');
  base.searchParams.set('token', PREVIEW_UNSUBSCRIBE_TOKEN);
  const links = buildServiceLinks(settings.links, base.toString());
  const email = renderApology({
    locale: request.locale,
    addressIsCustomer: request.customer ?? true,
    ...(request.noticeSentAt !== undefined ? { noticeSentAt: request.noticeSentAt } : {}),
    links,
    shopName: settings.shopName,
  });
  return {
    locale: request.locale,
    subject: email.subject,
    headers: oneClickUnsubscribeHeaders(links.unsubscribe).map((h) => ({ name: h.Name, value: h.Value })),
    html: email.html,
    text: email.text,
    linkGuardFindings: unexpectedLinks(email, links),
  };
}
