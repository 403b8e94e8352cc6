import type { LambdaFunctionURLEventWithIAMAuthorizer, SQSRecord } from 'aws-lambda';
import type { AuditedNotice } from '../../lambdas/audit/audited-notice';
import { addressHash } from '../../lambdas/directory/address-hash';
import { functionUrlEvent, localCallerOf } from '@registry-notices/local-stack';
import type {
  CustomerErased,
  CustomerUpserted,
  DirectoryEvent,
  RegistryItemsAdded,
  RegistryItemsRemoved,
  RegistryUpserted,
} from '../../lambdas/directory/directory-event';
import type { Customer, Registry } from '../../lambdas/directory/facts';
import type { NoticeFacts } from '../../lambdas/notices/guards/notice-facts';
import type { PurchaseMessage } from '../../lambdas/notices/purchase-message';

let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Makes a factory: fresh `defaults()` on each call, with any field overridden. */
function factoryOf<T>(defaults: () => T): (overrides?: Partial<T>) => T {
  return (overrides = {}) => ({ ...defaults(), ...overrides });
}

/** A valid purchase message v1; override any field. */
export const purchaseMessageFactory = factoryOf<PurchaseMessage>(() => ({
  schemaVersion: 1,
  eventId: nextId('evt'),
  purchaseId: nextId('pur'),
  registryId: 'reg-ann',
  item: { itemId: 'item-stroller', title: 'Stroller', quantity: 1 },
  purchasedAt: new Date(Date.now() - 60_000).toISOString(),
}));

/** An active registry with notifications on. */
export const registryFactory = factoryOf<Registry>(() => ({
  registryId: 'reg-ann',
  ownerCustomerId: 'cus-ann',
  status: 'ACTIVE',
  purchaseNotifications: true,
  title: 'Ann & Ben',
}));

/** A customer who wants email. */
export const customerFactory = factoryOf<Customer>(() => ({
  customerId: 'cus-ann',
  email: 'ann@example.com',
  locale: 'en',
  firstName: 'Ann',
  notificationsOptOut: false,
}));

/** Facts under which a notice may be sent; override to trip one guard. */
export const noticeFactsFactory = factoryOf<NoticeFacts>(() => ({
  message: purchaseMessageFactory(),
  registry: registryFactory(),
  itemOnRegistry: true,
  owner: customerFactory(),
  ownerAddressSuppressed: false,
  ownerUnsubscribed: false,
}));

/** An SQS record as Lambda hands it over; `body` may be anything. */
export function sqsRecordFactory(body: string | object, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const messageId = nextId('msg');
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:purchases',
    awsRegion: 'eu-west-1',
    ...overrides,
  };
}

/**
 * Makes the factory of one type of directory event (contract v1): each event it builds has a
 * fresh `eventId`, this `version` and `effectiveAt`, then `defaults()`, then the overrides.
 */
function directoryEventFactory<E extends DirectoryEvent>(
  version: number,
  effectiveAt: string,
  defaults: () => Omit<E, 'schemaVersion' | 'eventId' | 'version' | 'effectiveAt'>,
): (overrides?: Partial<E>) => E {
  return factoryOf(() => ({ schemaVersion: 1, eventId: nextId('dir'), version, effectiveAt, ...defaults() }) as E);
}

/** A valid `registry.upserted` directory event (contract v1); override any field. */
export const registryUpsertedFactory = directoryEventFactory<RegistryUpserted>(1, '2026-01-01T00:00:00.000Z', () => ({
  type: 'registry.upserted',
  registryId: 'reg-ann',
  ownerCustomerId: 'cus-ann',
  status: 'ACTIVE',
  title: 'Ann & Ben',
  purchaseNotifications: true,
}));

/** A valid `registry.items.added` directory event; override any field. */
export const itemsAddedFactory = directoryEventFactory<RegistryItemsAdded>(1, '2026-01-01T00:00:00.000Z', () => ({
  type: 'registry.items.added',
  registryId: 'reg-ann',
  items: [{ itemId: 'item-stroller', title: 'Stroller' }],
}));

/** A valid `registry.items.removed` directory event; override any field. */
export const itemsRemovedFactory = directoryEventFactory<RegistryItemsRemoved>(2, '2026-02-01T00:00:00.000Z', () => ({
  type: 'registry.items.removed',
  registryId: 'reg-ann',
  itemIds: ['item-stroller'],
}));

/** A valid `customer.upserted` directory event, of the customer of {@link customerFactory}; override any field. */
export const customerUpsertedFactory = directoryEventFactory<CustomerUpserted>(1, '2026-01-01T00:00:00.000Z', () => ({
  type: 'customer.upserted',
  ...customerFactory(),
}));

/** A valid `customer.erased` directory event; override any field. */
export const customerErasedFactory = directoryEventFactory<CustomerErased>(9, '2026-06-01T00:00:00.000Z', () => ({
  type: 'customer.erased',
  customerId: 'cus-ann',
}));

/**
 * A function URL event (payload 2.0) as Lambda passes it for a POST with a JSON body; with
 * `accessKey` the caller of an `AWS_IAM` URL (`alice` → `arn:aws:iam::000000000000:user/alice`).
 */
export function functionUrlEventFactory(body: string | object, accessKey?: string): LambdaFunctionURLEventWithIAMAuthorizer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return functionUrlEvent(
    { method: 'POST', rawPath: '/', query: new URLSearchParams(), headers: { host: 'abc.lambda-url.us-east-1.on.aws', 'content-type': 'application/json' }, body: Buffer.from(text) },
    { urlId: 'abc', accountId: '000000000000', sourceIp: '127.0.0.1' },
    accessKey === undefined ? undefined : localCallerOf(accessKey),
  ) as unknown as LambdaFunctionURLEventWithIAMAuthorizer;
}

/** A sent notice of ours as the audit reads it: to ann@example.com, about reg-ann and item-stroller; override any field. */
export const auditedNoticeFactory = factoryOf<AuditedNotice>(() => ({
  noticeId: 'evt#e-1',
  eventId: 'e-1',
  purchaseId: 'p-1',
  registryId: 'reg-ann',
  itemId: 'item-stroller',
  recipientAddress: 'ann@example.com',
  recipientAddressHash: addressHash('ann@example.com'),
  outcome: 'SENT',
  decidedAt: '2025-03-01T10:00:00.000Z',
  sender: 'registry-notices',
}));

/**
 * A signed one-click unsubscribe link as the senders build it (a function URL with a token
 * full of digits and dashes), for tests of rendering and the link guard. Its MAC is not a real
 * one: use `UnsubscribeLinks` with `testMacKey()` where the token must verify.
 */
export const UNSUBSCRIBE_LINK_EXAMPLE =
  'https://abc123def456.lambda-url.eu-west-1.on.aws/?token=eyJ2IjoxLCJhIjoiOWYyYzAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYiIsInMiOiJyZWdpc3RyeSIsInIiOiJyZWctMjAyNC0wMDAxMjMiLCJlIjoxNzkwMDAwMDAwLCJsIjoiZGUifQ.BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';

/** What {@link sesEventFactory} builds an SES event from. */
export interface SesEventSpec {
  readonly eventType: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject' | 'DeliveryDelay';
  /** The recipient (mail.destination, and the bounced or complaining recipient). */
  readonly to?: string;
  readonly messageId?: string;
  /** `mail.tags`, by name (each becomes a list of one value, as SES writes them). */
  readonly tags?: Readonly<Record<string, string>>;
  /** When SES took the email. */
  readonly sentAt?: string;
  /** When the event happened (bounce, delivery, ...). */
  readonly at?: string;
  readonly bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
  readonly bounceSubType?: string;
}

/**
 * An SES event as the configuration set's SNS destination publishes it (raw message
 * delivery: the body is the event itself), with every field SES writes that we read.
 */
export function sesEventFactory(spec: SesEventSpec): Record<string, unknown> {
  const to = spec.to ?? 'ann@example.com';
  const sentAt = spec.sentAt ?? '2026-11-25T10:00:00.000Z';
  const at = spec.at ?? '2026-11-25T10:00:01.000Z';
  const mail = {
    timestamp: sentAt,
    source: 'gifts@notices.example.com',
    sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/notices.example.com',
    sendingAccountId: '123456789012',
    messageId: spec.messageId ?? nextId('ses'),
    destination: [to],
    headersTruncated: false,
    headers: [],
    commonHeaders: { from: ['gifts@notices.example.com'], to: [to], subject: 'A gift was bought from your registry' },
    tags: {
      'ses:configuration-set': ['RegistryNotices-ConfigurationSet'],
      ...Object.fromEntries(Object.entries(spec.tags ?? {}).map(([name, value]) => [name, [value]])),
    },
  };
  const detail: Record<string, Record<string, unknown>> = {
    Send: { send: {} },
    Delivery: { delivery: { timestamp: at, processingTimeMillis: 900, recipients: [to], smtpResponse: '250 2.6.0 Message received' } },
    Bounce: {
      bounce: {
        feedbackId: nextId('fb'),
        bounceType: spec.bounceType ?? 'Permanent',
        bounceSubType: spec.bounceSubType ?? 'General',
        bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: `smtp; 550 5.1.1 <${to}> user unknown` }],
        timestamp: at,
      },
    },
    Complaint: {
      complaint: { complainedRecipients: [{ emailAddress: to }], timestamp: at, feedbackId: nextId('fb'), complaintFeedbackType: 'abuse' },
    },
    Reject: { reject: { reason: 'Bad content' } },
    DeliveryDelay: { deliveryDelay: { timestamp: at, delayType: 'MailboxFull', delayedRecipients: [{ emailAddress: to }] } },
  };
  return { eventType: spec.eventType, mail, ...detail[spec.eventType] };
}
