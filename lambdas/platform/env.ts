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

/**
 * The environment variables a module reads, declared once: `required` ones (each a string),
 * `optional` ones with their default (a number default makes it a positive integer, a string one
 * a string; `undefined`: absent means absent). The wiring reads through it ({@link readEnv}); the
 * construct that sets the variables is typed by it (lib/constructs/function-environment.ts).
 *
 * @example
 * export const FEEDBACK_ENV = envVars({ required: ['LEDGER_TABLE'], optional: { SOFT_BOUNCE_LIMIT: 3 } });
 */
export interface EnvVars<R extends string = string, O extends OptionalVars = OptionalVars> {
  readonly required: readonly R[];
  readonly optional: O;
}

/** Optional variables by name, each with its default. */
export type OptionalVars = Readonly<Record<string, number | string | undefined>>;

/** Every variable name of a declaration. */
export type EnvName<E extends EnvVars> = E['required'][number] | (keyof E['optional'] & string);

/** The variables of a declaration that must be set. */
export type RequiredEnvName<E extends EnvVars> = E['required'][number];

/** What {@link readEnv} gives: required variables as strings, optional ones parsed by their default's type. */
export type EnvValues<E extends EnvVars> = Record<E['required'][number], string> & {
  readonly [K in keyof E['optional']]: E['optional'][K] extends number ? number : E['optional'][K] extends string ? string : string | undefined;
};

/** Declares the variables a module reads (see {@link EnvVars}). */
export function envVars<const R extends string = never, const O extends OptionalVars = Record<never, never>>(vars: { readonly required?: readonly R[]; readonly optional?: O }): EnvVars<R, O> {
  return { required: vars.required ?? [], optional: vars.optional ?? ({} as O) };
}

/**
 * One declaration of the variables of several modules: a function's whole environment from its
 * own and the shared wiring's (required wins where one requires what another has optional).
 */
export function combineEnvVars<const P extends readonly EnvVars[]>(...parts: P): EnvVars<P[number]['required'][number], UnionToIntersection<P[number]['optional']>> {
  const required = [...new Set(parts.flatMap((part) => part.required))];
  const optional = Object.fromEntries(parts.flatMap((part) => Object.entries(part.optional)).filter(([name]) => !required.includes(name)));
  return { required, optional } as never;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? (I extends OptionalVars ? I : never) : never;

/**
 * Reads a declaration's variables: every missing required one reported together (as
 * {@link requireEnv}), then each optional one parsed or defaulted.
 *
 * @example
 * const e = readEnv(FEEDBACK_ENV); // e.LEDGER_TABLE: string, e.SOFT_BOUNCE_LIMIT: number
 */
export function readEnv<E extends EnvVars>(vars: E, env: NodeJS.ProcessEnv = process.env): EnvValues<E> {
  const values: Record<string, unknown> = { ...requireEnv(vars.required, env) };
  for (const [name, fallback] of Object.entries(vars.optional)) {
    if (typeof fallback === 'number') values[name] = positiveIntFromEnv(name, fallback, env);
    else values[name] = env[name]?.trim() || fallback;
  }
  return values as EnvValues<E>;
}

/** `SHOP_NAME`: the shop's name as emails sign it. */
export const SHOP_NAME_ENV = envVars({ optional: { SHOP_NAME: 'Gift Registry' } });

/** `LEDGER_RETENTION_DAYS`: days ledger rows, and what must live as long as they do, are kept. */
export const LEDGER_RETENTION_ENV = envVars({ optional: { LEDGER_RETENTION_DAYS: 400 } });

/** The shop's name as emails sign it (`SHOP_NAME`). */
export function shopNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return readEnv(SHOP_NAME_ENV, env).SHOP_NAME;
}

/** Days ledger rows, and what must live as long as they do, are kept (`LEDGER_RETENTION_DAYS`). */
export function ledgerRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return readEnv(LEDGER_RETENTION_ENV, env).LEDGER_RETENTION_DAYS;
}
