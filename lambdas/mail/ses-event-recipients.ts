import { addressHash } from '../directory/address-hash';
import { SesEventType, type SesEvent } from './ses-event';

/**
 * The hashes of every address an SES event names, each once: the email's recipients
 * (`mail.destination`) and those a bounce or complaint lists. Our emails go to one address, so
 * an event about one of them names exactly one; two or more mean the event is not about an
 * email of ours as we sent it (docs/hearing-back.md, "Only SES speaks for SES").
 *
 * @example
 * eventRecipientHashes(bounceOf('ann@example.com')) // ['5f1c…'] (the hash of ann@example.com)
 */
export function eventRecipientHashes(event: SesEvent): string[] {
  const named = [...event.mail.destination];
  if (event.eventType === SesEventType.BOUNCE) named.push(...event.bounce.bouncedRecipients.map((r) => r.emailAddress));
  if (event.eventType === SesEventType.COMPLAINT) named.push(...event.complaint.complainedRecipients.map((r) => r.emailAddress));
  return [...new Set(named.map((address) => addressHash(address)))];
}
