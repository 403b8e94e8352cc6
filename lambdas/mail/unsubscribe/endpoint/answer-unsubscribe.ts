import type { Locale } from '../../../directory/facts';
import type { UnsubscribePage } from '../../render/unsubscribe-page';
import { readUnsubscribeToken, type TokenRefusal, type UnsubscribeScope } from '../unsubscribe-token';
import type { MacKey } from '../../ports/mac-key';
import type { UnsubscribeRegister } from '../../ports/unsubscribes';
import type { UnsubscribeRequest } from './unsubscribe-request';

/** What the endpoint needs: the key to check links (verify only), and where unsubscribes go. */
export interface UnsubscribeDeps {
  readonly key: Pick<MacKey, 'verify'>;
  readonly unsubscribes: UnsubscribeRegister;
  readonly now: () => Date;
}

/** What one request came to, for the log and the metrics (no address, no token). */
export type UnsubscribeOutcome =
  | { readonly kind: 'REFUSED'; readonly refusal: TokenRefusal }
  | { readonly kind: 'CONFIRMATION_SHOWN'; readonly scope: UnsubscribeScope }
  | { readonly kind: 'RECORDED' | 'ALREADY'; readonly scope: UnsubscribeScope; readonly addressHash: string };

/** The answer to one request: its status, the page, the page's language, and what happened. */
export interface UnsubscribeAnswer {
  readonly statusCode: 200 | 400;
  readonly page: UnsubscribePage;
  readonly locale: Locale;
  readonly outcome: UnsubscribeOutcome;
}

/**
 * Answers one request to the unsubscribe endpoint. The token is read first, whatever the
 * method: a bad, tampered or expired one gets the same 400 page and changes nothing. A good one
 * shows the confirmation page on GET (so a link scanner that follows links unsubscribes
 * nobody) and records the unsubscribe on POST, idempotently: the link's scope, or every email
 * when the page's second button asked for it (the token proves the mailbox, so widening is
 * the recipient's right).
 *
 * @throws KeyUnavailableError (and the table's errors) when nothing could be decided now.
 * @example
 * const answer = await answerUnsubscribe({ method: 'POST', token, allMail: false, via: 'ONE_CLICK', language: 'en' }, deps);
 * answer.outcome.kind // 'RECORDED'
 */
export async function answerUnsubscribe(request: UnsubscribeRequest, deps: UnsubscribeDeps): Promise<UnsubscribeAnswer> {
  const reading = await readUnsubscribeToken(request.token, deps.key.verify, deps.now());
  if (!reading.ok) {
    return { statusCode: 400, page: { kind: 'INVALID_LINK' }, locale: request.language, outcome: { kind: 'REFUSED', refusal: reading.refusal } };
  }
  const { claims } = reading;
  if (request.method === 'GET') {
    return {
      statusCode: 200,
      page: { kind: 'CONFIRM', scope: claims.scope, token: request.token },
      locale: claims.locale,
      outcome: { kind: 'CONFIRMATION_SHOWN', scope: claims.scope },
    };
  }
  const scope: UnsubscribeScope = request.allMail ? { kind: 'ALL' } : claims.scope;
  const recorded = await deps.unsubscribes.record({
    addressHash: claims.addressHash,
    scope,
    at: deps.now().toISOString(),
    via: request.via,
  });
  return { statusCode: 200, page: { kind: 'DONE', scope }, locale: claims.locale, outcome: { kind: recorded, scope, addressHash: claims.addressHash } };
}
