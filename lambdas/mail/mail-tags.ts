/**
 * The SES message tags that tie an email, and every SES event about it, back to what it
 * was sent for: a notice (its ledger row) or an apology (its claim in the audit table).
 *
 * SES tag values allow only `A-Z a-z 0-9 _ -` (at most 256). Our ids also use `. : #`, so
 * an id travels as base64url, whose alphabet is exactly that set: reversible, and at most
 * 176 characters for our 132-character ledger keys. Tags carry no personal data: the
 * address travels as its hash.
 */

/** Names of the tags we set. */
export const MailTag = {
  TEMPLATE: 'template',
  NOTICE: 'noticeId',
  INCIDENT: 'incidentId',
  ADDRESS_HASH: 'addressHash',
} as const;

/** Values of the `template` tag. */
export const MailTemplate = {
  PURCHASE_NOTICE: 'purchase-notice',
  APOLOGY: 'apology',
} as const;

/** What an email was sent for, as its tags say. */
export type MailSubject =
  | { readonly kind: 'notice'; readonly noticeId: string }
  | { readonly kind: 'apology'; readonly incidentId: string; readonly addressHash: string };

/**
 * Tags of a purchase notice.
 *
 * @example
 * noticeMailTags('evt#demo-001') // { template: 'purchase-notice', noticeId: 'ZXZ0I2RlbW8tMDAx' }
 */
export function noticeMailTags(noticeId: string): Record<string, string> {
  return { [MailTag.TEMPLATE]: MailTemplate.PURCHASE_NOTICE, [MailTag.NOTICE]: toTagValue(noticeId) };
}

/** Tags of an apology: its incident and the recipient's address hash, the key of its claim. */
export function apologyMailTags(incidentId: string, addressHash: string): Record<string, string> {
  return { [MailTag.TEMPLATE]: MailTemplate.APOLOGY, [MailTag.INCIDENT]: toTagValue(incidentId), [MailTag.ADDRESS_HASH]: addressHash };
}

/**
 * What an email was for, from the tags of an SES event (`mail.tags`: each a list of
 * values); `undefined` when they name neither a notice nor an apology of ours.
 *
 * @example
 * mailSubjectFromTags({ template: ['purchase-notice'], noticeId: ['ZXZ0I2RlbW8tMDAx'] }) // { kind: 'notice', noticeId: 'evt#demo-001' }
 */
export function mailSubjectFromTags(tags: Readonly<Record<string, readonly string[]>> | undefined): MailSubject | undefined {
  const first = (name: string): string | undefined => tags?.[name]?.[0];
  const template = first(MailTag.TEMPLATE);
  if (template === MailTemplate.PURCHASE_NOTICE) {
    const noticeId = fromTagValue(first(MailTag.NOTICE));
    return noticeId ? { kind: 'notice', noticeId } : undefined;
  }
  if (template === MailTemplate.APOLOGY) {
    const incidentId = fromTagValue(first(MailTag.INCIDENT));
    const addressHash = first(MailTag.ADDRESS_HASH);
    return incidentId && addressHash && /^[0-9a-f]{64}$/.test(addressHash) ? { kind: 'apology', incidentId, addressHash } : undefined;
  }
  return undefined;
}

function toTagValue(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id, or `undefined` for a value that is not the base64url of one (a foreign or damaged tag). */
function fromTagValue(value: string | undefined): string | undefined {
  if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const id = Buffer.from(value, 'base64url').toString('utf8');
  return toTagValue(id) === value && /^[A-Za-z0-9._:#-]+$/.test(id) ? id : undefined;
}
