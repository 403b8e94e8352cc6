import { ADDRESS_HASH_ENV } from '../../directory/address-hash-env';
import { combineEnvVars, envVars, LEDGER_RETENTION_ENV, SHOP_NAME_ENV } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { UNSUBSCRIBE_LINKS_ENV } from '../../mail/unsubscribe/unsubscribe-links-env';

/** The variables `pipelineFromEnv` reads itself. */
export const NOTIFY_PIPELINE_ENV = envVars({
  required: [
    'REGISTRIES_TABLE',
    'CUSTOMERS_TABLE',
    'SUPPRESSIONS_TABLE',
    'UNSUBSCRIBES_TABLE',
    'LEDGER_TABLE',
    'SES_CONFIGURATION_SET',
    'SENDER_ADDRESS',
    'REGISTRY_BASE_URL',
    'HELP_URL',
    'KILL_SWITCH_PARAMETER',
    'PURCHASE_QUEUE_URL',
  ],
  optional: {
    // How long a flip of the switch takes to reach a warm function.
    KILL_SWITCH_CACHE_SECONDS: 10,
    // Longer than a run of the function (30 s), shorter than the queue's visibility
    // timeout (180 s): a redelivery always finds an abandoned claim expired.
    CLAIM_LEASE_SECONDS: 120,
  },
});

/** The notify function's whole environment (lib/constructs/notify-pipeline.ts sets it). */
export const NOTIFY_ENV = combineEnvVars(NOTIFY_PIPELINE_ENV, ADDRESS_HASH_ENV, UNSUBSCRIBE_LINKS_ENV, LEDGER_RETENTION_ENV, SHOP_NAME_ENV, QUARANTINE_ENV);
