import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import path from 'node:path';
import { bindTable, TableAccess } from './bind-table';
import type { DataTables } from './data-tables';
import { HouseFunction, type FunctionLogging } from './house-function';
import { declareEnvironment, environmentOf, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { REKEY_ENV } from '../../lambdas/directory/rekey/env';

/** Where the re-keying handler lives, relative to the repository root. */
export const REKEY_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'directory', 'rekey', 'handler.ts');

export interface AddressRekeyProps extends FunctionLogging {
  readonly tables: DataTables;
  /** Days a ledger row keeps its legacy hash: the unsubscribe links' validity (a live v1 link may name it). */
  readonly ledgerKeepDays: number;
  /**
   * The handler module. Tests may point elsewhere.
   *
   * @default REKEY_ENTRY (lambdas/directory/rekey/handler.ts)
   */
  readonly entry?: string;
}

/**
 * The one-off re-keying job (docs/data-model.md, "Address hashes", "Re-keying"): a function an
 * operator invokes per table, again with the answer's cursor until it is done. No trigger, no
 * schedule, reserved concurrency 1 (one run at a time; runs are idempotent, so a second one
 * would only waste). Grants: `Scan` and `UpdateItem` on customers, history and ledger (no
 * put, no delete: it rewrites one attribute); get, query, put and delete on suppressions and
 * unsubscribes (it moves items from a legacy key to the keyed one); the address-hash key
 * (`AddressHashKey.grantHash`, by the stack).
 */
export class AddressRekey extends Construct {
  public readonly rekeyFunction: HouseFunction & DeclaredFunction<EnvName<typeof REKEY_ENV>>;

  constructor(scope: Construct, id: string, props: AddressRekeyProps) {
    super(scope, id);
    this.rekeyFunction = declareEnvironment(
      new HouseFunction(this, 'RekeyFunction', {
        entry: props.entry ?? REKEY_ENTRY,
        description: 'One-off: rewrites legacy (unkeyed) address hashes to the keyed hash where the row holds the address; invoked by an operator.',
        timeout: Duration.minutes(15),
        memorySize: 512,
        logLevel: props.logLevel,
        logRetention: props.logRetention,
        environment: environmentOf(REKEY_ENV, { REKEY_LEDGER_KEEP_DAYS: String(props.ledgerKeepDays) }),
        reservedConcurrentExecutions: 1,
      }),
      REKEY_ENV,
    );
    const fn = this.rekeyFunction;
    const t = props.tables;
    bindTable({ table: t.customers, fn, envName: 'CUSTOMERS_TABLE', access: TableAccess.SCAN_AND_UPDATE_ITEMS });
    bindTable({ table: t.directoryHistory, fn, envName: 'DIRECTORY_HISTORY_TABLE', access: TableAccess.SCAN_AND_UPDATE_ITEMS });
    bindTable({ table: t.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.SCAN_AND_UPDATE_ITEMS });
    bindTable({ table: t.suppressions, fn, envName: 'SUPPRESSIONS_TABLE', access: TableAccess.MOVE_ITEMS });
    bindTable({ table: t.unsubscribes, fn, envName: 'UNSUBSCRIBES_TABLE', access: TableAccess.MOVE_ITEMS });
  }
}
