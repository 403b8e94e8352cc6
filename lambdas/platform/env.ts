import { ConfigurationError } from './function-errors';

/**
 * Reads required settings from the environment at once and reports every missing
 * one together, so a bad deploy fails at cold start with one clear message.
 *
 * @example
 * const { LEDGER_TABLE } = requireEnv(['LEDGER_TABLE']);
 */
export function requireEnv<K extends string>(names: readonly K[], env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  const missing = names.filter((n) => !env[n] || env[n]!.trim() === '');
  if (missing.length > 0) {
    throw new ConfigurationError(`missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((n) => [n, env[n]!.trim()])) as Record<K, string>;
}

/** A positive integer from the environment, or the default when unset. */
export function positiveIntFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${name} must be a positive integer (got "${raw}")`);
  }
  return value;
}

/** The shop's name as emails sign it (`SHOP_NAME`). */
export function shopNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHOP_NAME?.trim() || 'Gift Registry';
}

/** Days ledger rows, and what must live as long as they do, are kept (`LEDGER_RETENTION_DAYS`). */
export function ledgerRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveIntFromEnv('LEDGER_RETENTION_DAYS', 400, env);
}
