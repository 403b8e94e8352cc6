import { ADDRESS_HASH_ENV } from '../../directory/address-hash-env';
import { combineEnvVars, envVars, SHOP_NAME_ENV } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { UNSUBSCRIBE_LINKS_ENV } from '../../mail/unsubscribe/unsubscribe-links-env';
import { APOLOGY_RATE_SHARE_ENV } from '../audit-env';

/** The variables `senderDepsFromEnv` reads itself. */
export const SENDER_PIPELINE_ENV = envVars({
  required: [
    'LEDGER_TABLE',
    'CUSTOMERS_TABLE',
    'SUPPRESSIONS_TABLE',
    'AUDIT_TABLE',
    'SES_CONFIGURATION_SET',
    'SENDER_ADDRESS',
    'HELP_URL',
    'UNSUBSCRIBES_TABLE',
    'KILL_SWITCH_PARAMETER',
    'APOLOGY_QUEUE_URL',
  ],
  optional: {
    APOLOGY_SENDER_TIMEOUT_SECONDS: 60,
    APOLOGY_SLOT_TOLERANCE_MS: 50,
    // Read at least every few seconds: a flip stops the senders within that.
    KILL_SWITCH_CACHE_SECONDS: 3,
  },
});

/** The apology sender's whole environment (lib/constructs/apology-sender.ts sets it). */
export const SENDER_ENV = combineEnvVars(SENDER_PIPELINE_ENV, ADDRESS_HASH_ENV, APOLOGY_RATE_SHARE_ENV, UNSUBSCRIBE_LINKS_ENV, SHOP_NAME_ENV, QUARANTINE_ENV);
