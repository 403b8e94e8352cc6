import type { Locale } from '../../../directory/facts';
import type { UnsubscribePage } from '../../render/unsubscribe-page';
import { parseUnsubscribeToken, TokenRefusal, verifyUnsubscribeToken, type UnsubscribeScope } from '../unsubscribe-token';
import type { VerifyBudget } from '../verify-budget';
import type { TokenSealSource } from '../token-seal';
import type { MailedAddresses } from '../../ports/mailed-addresses';
import type { MacKey } from '../../ports/mac-key';
import { UnsubscribeVia, type UnsubscribeRegister } from '../../ports/unsubscribes';
import type { UnsubscribeRequest } from './unsubscribe-request';

/** What the endpoint needs: the key to check links (verify only), the seal that opens v2 tokens, and where unsubscribes go. */
export interface UnsubscribeDeps {
  readonly key: Pick<MacKey, 'verify'>;
  /** Opens a v2 token's claims in memory (derived once per environment, never per request). */
  readonly seal: TokenSealSource;
  readonly unsubscribes: UnsubscribeRegister;
  /** The cheap check before the key: a genuine link names an address we mailed. */
  readonly mailed: MailedAddresses;
  /** How many key checks may be made now, in all and for one address. */
  readonly budget: Pick<VerifyBudget, 'take'>;
  readonly now: () => Date;
}

/** What one request came to, for the log and the metrics (no address, no token). */
export type UnsubscribeOutcome =
  | { readonly kind: 'REFUSED'; readonly refusal: TokenRefusal }
  | { readonly kind: 'CONFIRMATION_SHOWN'; readonly scope: UnsubscribeScope }
  | { readonly kind: 'DEFERRED'; readonly addressHash: string }
  | { readonly kind: 'RECORDED' | 'ALREADY'; readonly scope: UnsubscribeScope; readonly addressHash: string };

/** The answer to one request: its status, the page, the page's language, and what happened. */
export interface UnsubscribeAnswer {
  readonly statusCode: 200 | 400 | 503;
  readonly page: UnsubscribePage;
  readonly locale: Locale;
  readonly outcome: UnsubscribeOutcome;
  /** Seconds to wait before trying again, on a 503. */
  readonly retryAfterSeconds?: number;
}

/** How long a deferred POST is asked to wait: one address regains a check in 20 s (DEFAULT_VERIFY_BUDGET). */
export const DEFERRED_RETRY_AFTER_SECONDS = 30;

/**
 * Answers one request to the unsubscribe endpoint; what each step costs is in
 * docs/unsubscribe.md. The token's shape, seal (v2) and expiry are read first, in memory, whatever
 * the method: a malformed, forged (v2) or expired one gets the 400 page and changes nothing.
 *
 * - GET shows the confirmation page without asking the link key (so a link scanner, or a flood
 *   of GETs, costs no KMS call and unsubscribes nobody), in the language the token holds (a v2
 *   token's is opened with the seal); its button POSTs the same token.
 * - POST then asks the ledger whether we ever mailed the token's address (a junk token naming
 *   no one of ours is refused there, for half a DynamoDB read unit), then takes a check from
 *   the budget (none left: 503 try-later, as a mail provider retries), and only then asks the
 *   key (`VerifyMac`). A good one records the unsubscribe idempotently: the link's scope, or
 *   every email when our page's second button asked for it. That widening needs the page
 *   (`via=page`): a mail client's one-click POST of a registry's link never stops all mail.
 *
 * @throws KeyUnavailableError (and the tables' errors) when nothing could be decided now.
 * @example
 * const answer = await answerUnsubscribe({ method: 'POST', token, allMail: false, via: 'ONE_CLICK', language: 'en' }, deps);
 * answer.outcome.kind // 'RECORDED'
 */
export async function answerUnsubscribe(request: UnsubscribeRequest, deps: UnsubscribeDeps): Promise<UnsubscribeAnswer> {
  const parsing = await parseUnsubscribeToken(request.token, deps.now(), deps.seal);
  if (!parsing.ok) return refused(request, parsing.refusal);
  const { claims } = parsing;
  if (request.method === 'GET') {
    return {
      statusCode: 200,
      page: { kind: 'CONFIRM', scope: claims.scope, token: request.token },
      locale: claims.locale,
      outcome: { kind: 'CONFIRMATION_SHOWN', scope: claims.scope },
    };
  }
  if (!(await deps.mailed.wasMailed(claims.addressHash))) return refused(request, TokenRefusal.NOT_MAILED);
  if (!deps.budget.take(claims.addressHash)) {
    return {
      statusCode: 503,
      page: { kind: 'TRY_LATER' },
      locale: claims.locale,
      outcome: { kind: 'DEFERRED', addressHash: claims.addressHash },
      retryAfterSeconds: DEFERRED_RETRY_AFTER_SECONDS,
    };
  }
  const reading = await verifyUnsubscribeToken(parsing, deps.key.verify);
  if (!reading.ok) return refused(request, reading.refusal);
  const scope: UnsubscribeScope = request.allMail && request.via === UnsubscribeVia.PAGE ? { kind: 'ALL' } : claims.scope;
  const recorded = await deps.unsubscribes.record({
    addressHash: claims.addressHash,
    scope,
    at: deps.now().toISOString(),
    via: request.via,
  });
  return { statusCode: 200, page: { kind: 'DONE', scope }, locale: claims.locale, outcome: { kind: recorded, scope, addressHash: claims.addressHash } };
}

function refused(request: UnsubscribeRequest, refusal: TokenRefusal): UnsubscribeAnswer {
  return { statusCode: 400, page: { kind: 'INVALID_LINK' }, locale: request.language, outcome: { kind: 'REFUSED', refusal } };
}
