import { addressHash, legacyAddressHash } from '../../directory/address-hash';
import { toLocale, type Customer } from '../../directory/facts';
import type { NoticeFacts } from '../guards/notice-facts';
import { firstBlockReason } from '../guards';
import { NoticeOutcome, OUR_SENDER, noticeIdForEvent, type LedgerEntry } from '../ledger-entry';
import { buildNoticeLinks, unexpectedLinks, type LinkConfig, type NoticeLinks } from '../../mail/links';
import type { PurchaseMessage } from '../purchase-message';
import { BlockReason } from '../reasons';
import { renderPurchaseNotice, type RenderedEmail } from '../render-purchase-notice';
import type { UnsubscribeLinks } from '../../mail/unsubscribe/unsubscribe-links';
import { isPlainAddress } from '../../directory/plain-address';
import type { CustomerDirectory, DoNotMailList, RegistryDirectory } from '../../directory/ports/directories';

/** What deciding on a notice reads: our data, the link settings and signer, the shop's name. */
export interface NoticeSources {
  readonly registries: RegistryDirectory;
  readonly customers: CustomerDirectory;
  /** Suppressions and unsubscribes, read together. */
  readonly doNotMail: DoNotMailList;
  /** Signs the owner's one-click unsubscribe link (this registry's notices). */
  readonly unsubscribeLinks: UnsubscribeLinks;
  readonly links: LinkConfig;
  readonly shopName: string;
}

/** A notice decided on: blocked (with the guard's reason), or ready to claim and send. */
export type PreparedNotice =
  | { readonly kind: 'blocked'; readonly base: LedgerEntry; readonly reason: BlockReason }
  | {
      readonly kind: 'ready';
      /** The decision without the recipient, as a `BLOCKED` row records it. */
      readonly base: LedgerEntry;
      /** The claim to write: the decision with the recipient and what is sent. */
      readonly claim: LedgerEntry;
      readonly owner: Customer;
      readonly email: RenderedEmail;
      readonly links: NoticeLinks;
    };

/**
 * Decides on a purchase with our data as it is now: the guards, then the email rendered in
 * the owner's language with a signed unsubscribe link and checked by the link guard. Sends
 * nothing, writes nothing.
 *
 * @example
 * const prepared = await prepareNotice(message, pipeline, new Date());
 * if (prepared.kind === 'blocked') prepared.reason // 'NOTIFICATIONS_OFF'
 */
export async function prepareNotice(message: PurchaseMessage, sources: NoticeSources, now: Date): Promise<PreparedNotice> {
  const { facts, unsubscribeLink } = await loadFacts(message, sources);
  const base = baseEntry(message, facts, now);
  const reason = firstBlockReason(facts);
  if (reason) return { kind: 'blocked', base, reason };

  // Guards passed, so owner and registry are present, and so is the link's signing.
  const owner = facts.owner!;
  const locale = toLocale(owner.locale);
  const unsubscribe = await unsubscribeLink!;
  const links = buildNoticeLinks(sources.links, message.registryId, unsubscribe);
  const email = renderPurchaseNotice({
    locale,
    ownerFirstName: owner.firstName,
    registryTitle: facts.registry!.title,
    itemTitle: message.item.title,
    quantity: message.item.quantity,
    purchaserName: message.purchaser?.displayName,
    giftMessage: message.giftMessage,
    links,
    shopName: sources.shopName,
  });
  if (unexpectedLinks(email, links).length > 0) return { kind: 'blocked', base, reason: BlockReason.LINK_NOT_ALLOWED };

  const claim: LedgerEntry = {
    ...base,
    recipientAddress: owner.email,
    recipientAddressHash: addressHash(owner.email),
    template: email.template,
    locale: email.locale,
    outcome: NoticeOutcome.SENDING,
  };
  return { kind: 'ready', base, claim, owner, email, links };
}

/**
 * The facts the guards judge, and the owner's unsubscribe link being signed meanwhile: the KMS
 * call needs only the owner's address and language, so it runs beside the do-not-mail read
 * instead of after the guards (one round trip less per notice). Used only when the guards
 * pass; its failure is then the record's, and is otherwise ignored (a blocked notice needs no link).
 */
async function loadFacts(message: PurchaseMessage, sources: NoticeSources): Promise<{ facts: NoticeFacts; unsubscribeLink?: Promise<string> }> {
  const { registry, itemOnRegistry } = await sources.registries.getRegistryWithItem(message.registryId, message.item.itemId);
  // The recipient comes from our registry data, never from the message.
  const owner = registry ? await sources.customers.getCustomer(registry.ownerCustomerId) : undefined;
  // Only a plain address can be mailed at all (a guard says so); the lists are not asked about another.
  if (!owner || !isPlainAddress(owner.email)) {
    return { facts: { message, registry, itemOnRegistry, owner, ownerAddressSuppressed: false, ownerUnsubscribed: false } };
  }
  const hash = addressHash(owner.email);
  const unsubscribeLink = sources.unsubscribeLinks.link({ addressHash: hash, scope: { kind: 'REGISTRY', registryId: message.registryId }, locale: toLocale(owner.locale) });
  unsubscribeLink.catch(() => undefined);
  // Both hashes: a suppression or an unsubscribe stored before keyed hashes still counts.
  const standing = await sources.doNotMail.standing([hash, legacyAddressHash(owner.email)], message.registryId);
  return {
    facts: { message, registry, itemOnRegistry, owner, ownerAddressSuppressed: standing.suppressed, ownerUnsubscribed: standing.unsubscribed },
    unsubscribeLink,
  };
}

function baseEntry(message: PurchaseMessage, facts: NoticeFacts, now: Date): LedgerEntry {
  return {
    noticeId: noticeIdForEvent(message.eventId),
    eventId: message.eventId,
    purchaseId: message.purchaseId,
    registryId: message.registryId,
    itemId: message.item.itemId,
    claimedRecipientCustomerId: message.recipientCustomerId,
    recipientCustomerId: facts.registry?.ownerCustomerId,
    outcome: NoticeOutcome.BLOCKED,
    decidedAt: now.toISOString(),
    sender: OUR_SENDER,
  };
}
