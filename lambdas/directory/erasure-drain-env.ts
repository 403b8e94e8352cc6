import { envVars } from '../platform/env';

/**
 * Where a function that applies erasures asks for the evidence drain (the erasure drain queue);
 * `ErasureDrain.grantRequestDrain` in lib/constructs/erasure-drain.ts sets it.
 */
export const ERASURE_DRAIN_REQUEST_ENV = envVars({ required: ['ERASURE_DRAIN_QUEUE_URL'] });
