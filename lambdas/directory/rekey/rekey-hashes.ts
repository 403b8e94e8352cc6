import { InvalidEventError, RegistryNoticesError } from '../../platform/function-errors';
import { addressHash, legacyAddressHash } from '../address-hash';

/** The tables whose rows hold an address in the clear beside its hash, and can be re-keyed from it. */
export const REKEY_TABLES = ['customers', 'history', 'ledger'] as const;
export type RekeyTable = (typeof REKEY_TABLES)[number];

/** One row that holds an address and its hash, as a page of the table's scan gives it. */
export interface AddressRow {
  /** The row's primary key, as stored. */
  readonly key: Readonly<Record<string, string>>;
  readonly address: string;
  readonly hash: string;
  /** Ledger rows: when the notice was decided (its unsubscribe link's clock). */
  readonly decidedAt?: string;
}

/** A page of a table's rows, and where the next page starts (`undefined`: the table is done). */
export interface RowPage {
  readonly rows: readonly AddressRow[];
  readonly scanned: number;
  readonly cursor: string | undefined;
}

/** What the re-keying job reads and writes (`dynamodb-rekey-tables.ts`). */
export interface RekeyTables {
  /** One page of the table's rows that hold an address (a Scan: a one-off job, never the hot path). */
  page(table: RekeyTable, cursor: string | undefined, limit: number): Promise<RowPage>;
  /** Sets the row's hash to `to` if it still is `from`; false when it changed meanwhile. */
  rewrite(table: RekeyTable, row: AddressRow, to: string): Promise<boolean>;
  /** Moves the suppression and every unsubscribe stored under `legacy` to `keyed`; how many items moved. */
  moveDoNotMail(legacy: string, keyed: string): Promise<{ suppressions: number; unsubscribes: number }>;
}

export interface RekeyRequest {
  readonly table: RekeyTable;
  /** Where to go on (the `cursor` of the last answer); absent: from the start. */
  readonly cursor?: string;
  /** Rows scanned per page. */
  readonly pageSize: number;
}

export interface RekeySettings {
  /**
   * A ledger row decided less than this many days ago keeps its legacy hash: a v1 unsubscribe link
   * sent with it may still be live, and the endpoint finds that link's address by the hash on the
   * ledger (docs/unsubscribe.md, step 4). The link validity (`unsubscribeLinkDays`).
   */
  readonly ledgerKeepDays: number;
  readonly now: () => Date;
}

/** What one run did; every count is of rows (or moved items) of the table asked. */
export interface RekeyReport {
  readonly table: RekeyTable;
  readonly pages: number;
  readonly scanned: number;
  /** Legacy hashes rewritten to the keyed hash. */
  readonly rekeyed: number;
  /** Rows already under the keyed hash (a second run, or written since). */
  readonly alreadyKeyed: number;
  /** Ledger rows too recent to re-key now (a live v1 link may name their legacy hash): run again later. */
  readonly deferred: number;
  /** Rows whose hash is neither hash of their address (changed meanwhile, or not ours): left as they are. */
  readonly left: number;
  readonly suppressionsMoved: number;
  readonly unsubscribesMoved: number;
  /** Where the next run goes on; absent when the table is done. */
  readonly cursor?: string;
  readonly done: boolean;
}

/**
 * Re-keys stored legacy (unkeyed SHA-256) address hashes where the row holds the address in
 * the clear (docs/data-model.md, "Address hashes", "Re-keying"): page by page, until the table
 * is done or `more()` says stop (the function's time), and returns where to go on. Idempotent:
 * a row is rewritten only from the legacy hash of its own address, conditionally, so a second run
 * changes nothing; the suppression and unsubscribes of each address met are moved from its
 * legacy hash to its keyed one (each address once per run).
 *
 * @example
 * const report = await rekeyHashes({ table: 'customers', pageSize: 100 }, tables, settings, () => context.getRemainingTimeInMillis() > 60_000);
 * report.cursor // pass it back to go on
 */
export async function rekeyHashes(request: RekeyRequest, tables: RekeyTables, settings: RekeySettings, more: () => boolean): Promise<RekeyReport> {
  const counts = { pages: 0, scanned: 0, rekeyed: 0, alreadyKeyed: 0, deferred: 0, left: 0, suppressionsMoved: 0, unsubscribesMoved: 0 };
  const keepAfter = settings.now().getTime() - settings.ledgerKeepDays * 86_400_000;
  const movedFor = new Set<string>();
  let cursor = request.cursor;
  do {
    let page: RowPage;
    try {
      page = await tables.page(request.table, cursor, request.pageSize);
      counts.pages += 1;
      counts.scanned += page.scanned;
      for (const row of page.rows) {
        const keyed = addressHash(row.address);
        const legacy = legacyAddressHash(row.address);
        if (!movedFor.has(legacy)) {
          movedFor.add(legacy);
          const moved = await tables.moveDoNotMail(legacy, keyed);
          counts.suppressionsMoved += moved.suppressions;
          counts.unsubscribesMoved += moved.unsubscribes;
        }
        if (row.hash === keyed) counts.alreadyKeyed += 1;
        else if (row.hash !== legacy) counts.left += 1;
        else if (request.table === 'ledger' && (row.decidedAt === undefined || Date.parse(row.decidedAt) > keepAfter)) counts.deferred += 1;
        else if (await tables.rewrite(request.table, row, keyed)) counts.rekeyed += 1;
        else counts.left += 1;
      }
    } catch (error) {
      // A cursor not ours is the request's fault, said as such (InvalidEventError, naming the field).
      if (error instanceof InvalidEventError) throw error;
      // The page is done again from its start by the rerun: what it did already is found done, not done twice.
      throw new RekeyInterruptedError({ table: request.table, ...counts, ...(cursor === undefined ? {} : { cursor }), done: false }, error);
    }
    cursor = page.cursor;
  } while (cursor !== undefined && more());
  return { table: request.table, ...counts, ...(cursor === undefined ? {} : { cursor }), done: cursor === undefined };
}

/**
 * A run stopped by an error of DynamoDB's that the SDK's retries did not get past (throttled
 * five times, 500s, no answer): what it did so far (`report`, whose `cursor` is the start of the
 * page it was on), and the same in its message, which is what `aws lambda invoke` shows. Running
 * it again with that cursor goes on; every step of a page is safe to do twice.
 */
export class RekeyInterruptedError extends RegistryNoticesError {
  override name = 'RekeyInterruptedError';

  constructor(
    readonly report: RekeyReport,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const from = report.cursor === undefined ? 'no cursor: from the start' : `"cursor":"${report.cursor}"`;
    super(`re-keying ${report.table} stopped after ${report.pages} pages (${report.rekeyed} rows re-keyed): ${why}; run it again with "cursor" from this error to go on (${from})`, { cause });
  }
}
