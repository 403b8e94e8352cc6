import type { CampaignDeps } from '../audit-deps';
import { IMPORTED_NOTICE_PREFIX } from '../send-log-line';

/** Before any ledger row: a query of every row an address has. */
const EVER = '1970-01-01T00:00:00.000Z';

/**
 * Whether an apology would go to a stranger: an address that only an imported send log names,
 * that no notice of ours ever went to (no `evt#` row of it in the ledger's `byAddress` index)
 * and that is no customer the shop told us of. `import` takes any `recipientAddress`, so
 * without this one operator could import a list of strangers and have our DKIM-signed
 * apologies sent to it; a campaign with any waits for a second person, whatever its size
 * (docs/operator.md, "Identity and the two-person rule").
 *
 * @param noticeId the row the apology would be about (`imp#…` for an imported one)
 * @example
 * await isStranger({ addressHash: 'ab…', noticeId: 'imp#legacy-crm#n-1' }, deps) // true for an address nobody else knows
 */
export async function isStranger(
  recipient: { readonly addressHash: string; readonly noticeId: string },
  deps: Pick<CampaignDeps, 'ledger' | 'addresses'>,
): Promise<boolean> {
  if (!recipient.noticeId.startsWith(IMPORTED_NOTICE_PREFIX)) return false;
  if (await deps.addresses.customerByAddressHash(recipient.addressHash)) return false;
  const rows = await deps.ledger.noticesToAddress({ addressHash: recipient.addressHash, from: EVER });
  return rows.every((id) => id.startsWith(IMPORTED_NOTICE_PREFIX));
}
