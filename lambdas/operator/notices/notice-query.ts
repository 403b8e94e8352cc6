import { RegistryNoticesError } from '../../platform/function-errors';
import { addressHash } from '../../directory/address-hash';
import { noticeIdForEvent } from '../../notices/ledger-entry';

/** An operator's query that names no notice: not an event id, a notice id or an address. */
export class NoticeQueryError extends RegistryNoticesError {
  override name = 'NoticeQueryError';

  constructor(query: string, options?: ErrorOptions) {
    // The query may be an address: never echo it.
    super(`"${query.includes('@') ? '[address]' : query}" is not an event id, a notice id (evt#…, imp#…) or an address`, options);
  }
}

/** What `notice show` looks for. */
export type NoticeQuery = { readonly kind: 'notice'; readonly noticeId: string } | { readonly kind: 'address'; readonly addressHash: string };

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const NOTICE_ID = /^(evt|imp)#[A-Za-z0-9._:#-]{1,300}$/;

/**
 * Reads `notice show`'s argument: an address (anything with an `@`, looked up by hash), a
 * notice id (`evt#…`, `imp#<source>#…`), or a purchase event id.
 *
 * @example
 * parseNoticeQuery('demo-001') // { kind: 'notice', noticeId: 'evt#demo-001' }
 * parseNoticeQuery('Ann@Example.com') // { kind: 'address', addressHash: '…' }
 */
export function parseNoticeQuery(query: string): NoticeQuery {
  const q = query.trim();
  if (q.includes('@')) return { kind: 'address', addressHash: addressHash(q) };
  if (NOTICE_ID.test(q)) return { kind: 'notice', noticeId: q };
  if (ID.test(q)) return { kind: 'notice', noticeId: noticeIdForEvent(q) };
  throw new NoticeQueryError(query);
}
