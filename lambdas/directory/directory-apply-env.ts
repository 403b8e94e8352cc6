import { envVars } from '../platform/env';

/**
 * The tables applying directory facts writes (`directoryApplyDeps` in apply-deps-wiring.ts), which
 * every function that applies them reads (the directory feed, the import's directory route);
 * `grantDirectoryApply` in lib/constructs/directory-feed.ts sets them.
 */
export const DIRECTORY_APPLY_ENV = envVars({ required: ['DIRECTORY_HISTORY_TABLE', 'REGISTRIES_TABLE', 'CUSTOMERS_TABLE', 'LEDGER_TABLE'] });
