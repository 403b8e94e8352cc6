import type { Customer, Registry } from '../../lambdas/directory/facts';
import { purchaseItemMarkerId, type LedgerEntry } from '../../lambdas/notices/ledger-entry';
import type { PurchasePipeline } from '../../lambdas/notices/notify/process-purchase';
import type { OutgoingEmail } from '../../lambdas/mail/ports/mailer';
import type { LedgerWrite } from '../../lambdas/notices/ports/notice-ledger';
import { addressHash } from '../../lambdas/directory/address-hash';
import { UnsubscribeLinks } from '../../lambdas/mail/unsubscribe/unsubscribe-links';
import { testMacKey } from './test-mac-key';
import { testTokenSeal } from './test-token-seal';

/**
 * The notify pipeline over plain in-memory ports, for unit tests of the use case's
 * own logic (ordering, idempotency, crash points). The real adapters are tested
 * against the emulators in test/integration.
 */
export function inMemoryPipeline(options: { now?: () => Date } = {}) {
  const registries = new Map<string, Registry>();
  const items = new Set<string>();
  const customers = new Map<string, Customer>();
  const suppressed = new Set<string>();
  /** `<hash> ALL` or `<hash> REGISTRY#<registryId>`. */
  const unsubscribed = new Set<string>();
  const macKey = testMacKey();
  const tokenSeal = testTokenSeal();
  const ledger = new Map<string, LedgerEntry & Record<string, unknown>>();
  const sent: OutgoingEmail[] = [];
  const deferred: { body: string; delaySeconds: number }[] = [];
  const state = {
    paused: false,
    sendImpl: undefined as undefined | ((email: OutgoingEmail) => Promise<string>),
    /** Replaces the ledger's SENT write, e.g. to play a function that dies right after SES took the email. */
    markSentImpl: undefined as undefined | ((noticeId: string) => Promise<void>),
  };

  // A conditional put, as DynamoDB's with ReturnValuesOnConditionCheckFailure ALL_OLD.
  const putIfAbsent = async (entry: LedgerEntry): Promise<LedgerWrite> => {
    const existing = ledger.get(entry.noticeId);
    if (existing) return { written: false, existing: { ...existing } };
    ledger.set(entry.noticeId, { ...entry });
    return { written: true };
  };
  // Purchase-and-item markers, held with the claim as the DynamoDB ledger's transaction does.
  const markers = new Map<string, string>();
  /** Customers whose row is erased by the time a claim is made (after the guards read it), as the DynamoDB claim's ConditionCheck sees. */
  const erasedAtClaim = new Set<string>();
  const claim: PurchasePipeline['ledger']['claim'] = async (entry) => {
    const existing = ledger.get(entry.noticeId);
    if (existing) return { written: false, existing: { ...existing } };
    if (entry.recipientCustomerId && erasedAtClaim.has(entry.recipientCustomerId)) return { written: false, recipientErased: true };
    const marker = entry.purchaseId && entry.itemId ? purchaseItemMarkerId(entry.purchaseId, entry.itemId) : undefined;
    const first = marker && markers.get(marker);
    if (first && first !== entry.noticeId) return { written: false, duplicateOf: first };
    if (marker) markers.set(marker, entry.noticeId);
    ledger.set(entry.noticeId, { ...entry });
    return { written: true };
  };
  const settle = (noticeId: string, patch: Record<string, unknown>): void => {
    const row = ledger.get(noticeId);
    if (row?.outcome === 'SENDING') ledger.set(noticeId, { ...row, ...patch });
  };

  const pipeline: PurchasePipeline = {
    registries: {
      getRegistryWithItem: async (registryId, itemId) => ({
        registry: registries.get(registryId),
        itemOnRegistry: items.has(`${registryId}/${itemId}`),
      }),
    },
    customers: { getCustomer: async (id) => customers.get(id) },
    doNotMail: {
      standing: async (given, registryId) => {
        const hashes = typeof given === 'string' ? [given] : given;
        return {
          suppressed: hashes.some((hash) => suppressed.has(hash)),
          unsubscribed: hashes.some((hash) => unsubscribed.has(`${hash} ALL`) || unsubscribed.has(`${hash} REGISTRY#${registryId}`)),
        };
      },
    },
    unsubscribeLinks: new UnsubscribeLinks({
      baseUrl: 'https://unsubscribe.example/',
      validityDays: 90,
      generateMac: macKey.generate,
      seal: tokenSeal.source,
      now: options.now ?? (() => new Date()),
    }),
    ledger: {
      recordDecision: putIfAbsent,
      claim,
      release: async (id) => {
        if (ledger.get(id)?.outcome === 'SENDING') ledger.delete(id);
      },
      markFailed: async (id, reason) => settle(id, { outcome: 'FAILED', reason }),
      markSent: async (id, sesMessageId, sentAt) => {
        if (state.markSentImpl) return state.markSentImpl(id);
        settle(id, { outcome: 'SENT', sesMessageId, sentAt });
      },
      claimResend: async (id, claimedAt) => {
        const row = ledger.get(id);
        if (row?.outcome !== 'UNCERTAIN' || row.resend?.state !== 'APPROVED') return false;
        ledger.set(id, { ...row, resend: { ...row.resend, state: 'SENDING', claimedAt } });
        return true;
      },
      settleResend: async (id, settlement) => {
        const row = ledger.get(id);
        if (!row?.resend) return;
        const { state, ...rest } = settlement;
        const resend = { ...row.resend, state, ...rest };
        ledger.set(id, state === 'SENT' ? { ...row, outcome: 'SENT', sesMessageId: settlement.sesMessageId, resend } : { ...row, resend });
      },
      markUncertain: async (id, _at, doubt = {}) =>
        settle(id, { outcome: 'UNCERTAIN', reason: doubt.reason ?? 'CLAIM_ABANDONED', purchaseMessage: doubt.purchaseMessage }),
    },
    mailer: {
      send: async (email) => {
        if (state.sendImpl) return state.sendImpl(email);
        sent.push(email);
        return `ses-${sent.length}`;
      },
    },
    killSwitch: { isPaused: async () => state.paused },
    deferral: { defer: async (body, delaySeconds) => void deferred.push({ body, delaySeconds }) },
    links: {
      registryBaseUrl: 'https://shop.example/registry',
      helpUrl: 'https://shop.example/help',
    },
    shopName: 'Example Shop',
    claimLeaseMs: 120_000,
    now: options.now ?? (() => new Date()),
  };

  return {
    pipeline,
    registries,
    customers,
    ledger,
    sent,
    deferred,
    state,
    addItem: (registryId: string, itemId: string) => items.add(`${registryId}/${itemId}`),
    erasedAtClaim,
    macKey,
    tokenSeal,
    suppress: (address: string) => suppressed.add(addressHash(address)),
    unsubscribe: (address: string, scope: 'ALL' | `REGISTRY#${string}`) => unsubscribed.add(`${addressHash(address)} ${scope}`),
  };
}
