import { ADDRESS_HASH_ENV } from '../address-hash-env';
import { combineEnvVars, envVars } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { DIRECTORY_APPLY_ENV } from '../directory-apply-env';
import { ERASURE_DRAIN_REQUEST_ENV } from '../erasure-drain-env';

/** The variables `directoryPipelineFromEnv` reads. */
export const DIRECTORY_PIPELINE_ENV = combineEnvVars(DIRECTORY_APPLY_ENV, ERASURE_DRAIN_REQUEST_ENV, envVars({ required: ['DIRECTORY_QUEUE_URL'] }));

/** The directory function's whole environment (lib/constructs/directory-feed.ts sets it). */
export const DIRECTORY_ENV = combineEnvVars(DIRECTORY_PIPELINE_ENV, ADDRESS_HASH_ENV, QUARANTINE_ENV);
