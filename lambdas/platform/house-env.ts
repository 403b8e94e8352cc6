import { envVars } from './env';

/**
 * What every function is given besides its own variables (lib/constructs/house-function.ts sets
 * them): read by Powertools (`observability.ts`: service name, metrics namespace, log level)
 * and by Node (source maps), not by our wiring.
 */
export const HOUSE_ENV = envVars({
  required: ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'LOG_LEVEL', 'NODE_OPTIONS'],
});
