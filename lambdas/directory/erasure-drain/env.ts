import { ADDRESS_HASH_ENV } from '../address-hash-env';
import { combineEnvVars, envVars } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';

/** The variables `erasureDrainFromEnv` reads: what is drained, and how long a pass may hold a message. */
export const ERASURE_DRAIN_PIPELINE_ENV = envVars({
  required: ['EVIDENCE_QUEUE_URLS', 'IMPORT_BUCKET', 'EVIDENCE_OBJECT_PREFIXES'],
  optional: {
    // Longer than the function's timeout: a message held by a pass that died is shown again by itself.
    EVIDENCE_HOLD_SECONDS: 960,
    ERASURE_DRAIN_SAFETY_SECONDS: 60,
  },
});

/** The erasure drain function's whole environment (lib/constructs/erasure-drain.ts sets it). */
export const ERASURE_DRAIN_ENV = combineEnvVars(ERASURE_DRAIN_PIPELINE_ENV, ADDRESS_HASH_ENV, QUARANTINE_ENV);
