import { isPendingState } from '../../notices/ledger-table/audit-shards';
import { maskAddress } from '../../directory/mask-address';
import { mailFate, type MailEventRecord, type MailFate } from '../../mail/mail-fate';
import type { SesEventType } from '../../mail/ses-event';
import type { NoticeRecord, NoticeRecords } from '../../notices/ports/notice-records';
import type { ApologyRecords, NoticeInIncident } from '../../audit/ports/apology-records';
import type { Resend } from '../../notices/ledger-entry';
import { parseNoticeQuery } from './notice-query';

/** The whole story of one notice, as `notice show` tells it. */
export interface NoticeStory {
  readonly noticeId: string;
  readonly eventId?: string;
  readonly purchaseId?: string;
  readonly registryId?: string;
  readonly itemId?: string;
  /** `registry-notices`, or `import:<source>` for another system's notice. */
  readonly sender: string;
  /** What was decided, by which guard, for whom. */
  readonly decision: {
    readonly outcome: string;
    readonly reason?: string;
    readonly decidedAt: string;
    /** Who the producer said the owner was, and who our data says it is. */
    readonly claimedRecipientCustomerId?: string;
    readonly recipientCustomerId?: string;
    /** Masked (`a***@example.com`) unless revealed. */
    readonly recipient?: string;
    readonly template?: string;
    readonly locale?: string;
  };
  readonly send: { readonly sentAt?: string; readonly sesMessageId?: string; readonly settledAt?: string; readonly settledBy?: string };
  /** What SES reported, oldest first, and what that makes of the email. */
  readonly ses: {
    readonly fate: MailFate;
    readonly events: readonly (MailEventRecord & { readonly type: SesEventType })[];
    /** SES message ids of other emails reported for this notice: a second email went. */
    readonly otherMessages: readonly string[];
  };
  /** Present while the send is in doubt, or once a re-send was approved. */
  readonly doubt?: { readonly since?: string; readonly reason?: string; readonly resend?: Resend };
  readonly audit: { readonly state: 'NOT_AUDITED' | 'PENDING' | 'JUDGED'; readonly verdict?: string; readonly reason?: string; readonly at?: string };
  /** Each declared incident the audit attached it to, with the apology for its address there. */
  readonly incidents: readonly NoticeInIncident[];
}

/** What `notice show` reads. */
export interface ShowNoticeDeps {
  readonly notices: NoticeRecords;
  readonly apologies: ApologyRecords;
}

/**
 * Tells the whole story of the notices a query names (an event id, a notice id, or an
 * address: every notice mailed to it): decision and guard, claim, send, SES events, doubt
 * and re-send, audit verdict, incidents and apologies. Addresses are masked unless `reveal`.
 *
 * @throws NoticeQueryError for a query that names nothing we could look up.
 * @example
 * const [story] = await showNotice('demo-013', deps, { reveal: false });
 * story.ses.fate // 'BOUNCED'
 */
export async function showNotice(query: string, deps: ShowNoticeDeps, options: { readonly reveal: boolean }): Promise<NoticeStory[]> {
  const parsed = parseNoticeQuery(query);
  const ids = parsed.kind === 'notice' ? [parsed.noticeId] : await deps.notices.noticeIdsTo(parsed.addressHash);
  const stories: NoticeStory[] = [];
  for (const id of ids) {
    const row = await deps.notices.get(id);
    if (!row) continue;
    stories.push(storyOf(row, await deps.apologies.forNotice(row.noticeId, row.recipientAddressHash), options.reveal));
  }
  return stories;
}

function storyOf(row: NoticeRecord, incidents: readonly NoticeInIncident[], reveal: boolean): NoticeStory {
  const events = Object.entries(row.sesEvents ?? {})
    .map(([type, record]) => ({ type: type as SesEventType, ...(record as MailEventRecord) }))
    .sort((a, b) => a.at.localeCompare(b.at));
  const recipient = row.recipientAddress === undefined ? undefined : reveal ? row.recipientAddress : maskAddress(row.recipientAddress);
  const inDoubt = row.inDoubt !== undefined || row.resend !== undefined;
  return {
    noticeId: row.noticeId,
    ...pick(row, ['eventId', 'purchaseId', 'registryId', 'itemId']),
    sender: row.sender,
    decision: {
      outcome: row.outcome,
      decidedAt: row.decidedAt,
      ...pick(row, ['reason', 'claimedRecipientCustomerId', 'recipientCustomerId', 'template', 'locale']),
      ...(recipient === undefined ? {} : { recipient }),
    },
    send: pick(row, ['sentAt', 'sesMessageId', 'settledAt', 'settledBy']),
    ses: { fate: mailFate(row.sesEvents), events, otherMessages: [...(row.sesStrayMessageIds ?? [])] },
    ...(inDoubt ? { doubt: { since: row.settledAt, reason: row.outcome === 'UNCERTAIN' ? String(row.reason) : undefined, resend: row.resend } } : {}),
    audit:
      row.auditVerdict !== undefined
        ? { state: 'JUDGED', verdict: row.auditVerdict, ...pick(row, ['auditReason', 'auditedAt'], { auditReason: 'reason', auditedAt: 'at' }) }
        : { state: typeof row.auditState === 'string' && isPendingState(row.auditState) ? 'PENDING' : 'NOT_AUDITED' },
    incidents,
  };
}

/** The named string fields that are set, optionally renamed. */
function pick<K extends string>(row: object, keys: readonly K[], rename: Partial<Record<K, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = (row as Record<string, unknown>)[key];
    if (typeof value === 'string') out[rename[key] ?? key] = value;
  }
  return out;
}
