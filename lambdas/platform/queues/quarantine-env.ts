import { envVars } from '../env';

/** `QUARANTINE_QUEUE_URL`: the queue a function quarantines invalid messages on (`quarantineFromEnv`; the `QueueConsumerPipeline` construct sets it). */
export const QUARANTINE_ENV = envVars({ required: ['QUARANTINE_QUEUE_URL'] });
