import { ADDRESS_HASH_ENV } from '../address-hash-env';
import { combineEnvVars, envVars } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { ERASURE_DRAIN_REQUEST_ENV } from '../erasure-drain-env';

/**
 * The variables `erasureDrainFromEnv` reads: what is drained, where the uploads' imports stand
 * (an upload is deleted once its import is over), how long a pass may hold a message, and the
 * follow-up passes' schedule.
 */
export const ERASURE_DRAIN_PIPELINE_ENV = envVars({
  // ERASURE_FOLLOW_UP_HORIZON_SECONDS: derived from the source queues in lib/constructs/erasure-drain.ts.
  // IMPORTED_OBJECT_PREFIXES: those of EVIDENCE_OBJECT_PREFIXES an import reads; IMPORT_PROGRESS_TABLE: read only (GetItem).
  required: ['EVIDENCE_QUEUE_URLS', 'IMPORT_BUCKET', 'EVIDENCE_OBJECT_PREFIXES', 'IMPORTED_OBJECT_PREFIXES', 'IMPORT_PROGRESS_TABLE', 'ERASURE_FOLLOW_UP_HORIZON_SECONDS'],
  optional: {
    // Longer than the function's timeout: a message held by a pass that died is shown again by itself.
    EVIDENCE_HOLD_SECONDS: 960,
    ERASURE_DRAIN_SAFETY_SECONDS: 60,
    // An hour between passes: four 15-minute waits of the request on its queue (docs/data-model.md, cost).
    ERASURE_FOLLOW_UP_SPACING_SECONDS: 3600,
    // A day: an upload (a multipart one dates from its start) that took up to this long is still read.
    ERASURE_OBJECT_MARGIN_SECONDS: 86_400,
  },
});

/** The erasure drain function's whole environment (lib/constructs/erasure-drain.ts sets it); it sends its own follow-ups to its queue. */
export const ERASURE_DRAIN_ENV = combineEnvVars(ERASURE_DRAIN_PIPELINE_ENV, ERASURE_DRAIN_REQUEST_ENV, ADDRESS_HASH_ENV, QUARANTINE_ENV);
