import { NotifyMetric } from '../lambdas/platform/metric-names';

/**
 * Names shared by the stack and the functions' telemetry. The handlers get these through
 * environment variables; the alarms must use the same strings or they watch nothing.
 */
export const SERVICE = {
  /** Powertools `service` name, also the `service` metric dimension. */
  name: 'registry-notices',
  /** Powertools metrics namespace. */
  metricsNamespace: 'RegistryNotices',
} as const;

/** Custom metrics the notify function emits (Powertools, default dimension `service`). */
export const NOTICE_METRICS = {
  /** A guard stopped a notice (not the owner, closed registry, surprise mode, ...). */
  blocked: NotifyMetric.BLOCKED,
  /** SES may or may not have accepted a send (the function died or timed out around the call). */
  sendUncertain: NotifyMetric.UNCERTAIN,
} as const;
