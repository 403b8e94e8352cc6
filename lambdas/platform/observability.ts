import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics object per function, configured from the
 * POWERTOOLS_* environment. Log only ids and reasons: never an address or a name.
 */
export const logger = new Logger();
export const metrics = new Metrics();
