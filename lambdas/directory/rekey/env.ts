import { combineEnvVars, envVars } from '../../platform/env';
import { ADDRESS_HASH_ENV } from '../address-hash-env';

/**
 * The re-keying function's environment (lib/constructs/address-rekey.ts sets it): the tables it
 * re-keys and moves, the address-hash key, and how many days a ledger row keeps its legacy hash
 * (the unsubscribe links' validity).
 */
export const REKEY_ENV = combineEnvVars(
  envVars({
    required: ['CUSTOMERS_TABLE', 'DIRECTORY_HISTORY_TABLE', 'LEDGER_TABLE', 'SUPPRESSIONS_TABLE', 'UNSUBSCRIBES_TABLE'],
    optional: { REKEY_LEDGER_KEEP_DAYS: 90 },
  }),
  ADDRESS_HASH_ENV,
);
