import type { IConstruct } from 'constructs';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { EnvName, EnvVars } from '../../lambdas/platform/env';
import { HOUSE_ENV } from '../../lambdas/platform/house-env';

declare const READS: unique symbol;

/**
 * A function told which environment it reads (its declaration in lambdas/, e.g.
 * `lambdas/notices/notify/env.ts`): {@link setEnvironment} and `bindTable` take only the names
 * `N` it declares, so the compiler refuses a variable the function does not read. A grant
 * helper that sets some variables asks for a function that reads at least those.
 */
export type DeclaredFunction<N extends string> = LambdaFunction & { readonly [READS]: (name: N) => void };

/** The names a {@link DeclaredFunction} reads. */
export type NamesOf<F> = F extends DeclaredFunction<infer N> ? N : never;

/** Variables by name, only names of declaration `E`. */
export type EnvironmentOf<E extends EnvVars> = Partial<Record<EnvName<E>, string>>;

const declarations = new WeakMap<LambdaFunction, EnvVars>();

/**
 * Ties a function to the declaration of what it reads, and has synthesis fail if it is set
 * anything else (besides the house variables, {@link HOUSE_ENV}); {@link checkDeclaredEnvironments}
 * also fails it when a required variable is missing.
 *
 * @example
 * const fn = declareEnvironment(pipeline.consumerFunction, NOTIFY_ENV);
 */
export function declareEnvironment<F extends LambdaFunction, E extends EnvVars>(fn: F, declaration: E): F & DeclaredFunction<EnvName<E>> {
  declarations.set(fn, declaration);
  fn.node.addValidation({
    validate: () => {
      const known = new Set([...HOUSE_ENV.required, ...declaration.required, ...Object.keys(declaration.optional)]);
      return variableNames(fn)
        .filter((name) => !known.has(name))
        .map((name) => `${fn.node.path} is set ${name}, which its environment declaration does not read`);
    },
  });
  return fn as F & DeclaredFunction<EnvName<E>>;
}

/**
 * Has synthesis fail when a function of `scope` tied to a declaration ({@link declareEnvironment})
 * misses a required variable. On the whole stack, where every construct that sets a part of a
 * function's environment (its own, the quarantine, the link signer, the audit's use cases) has run.
 *
 * @example
 * checkDeclaredEnvironments(this); // at the end of the stack's constructor
 */
export function checkDeclaredEnvironments(scope: IConstruct): void {
  scope.node.addValidation({
    validate: () =>
      scope.node.findAll().flatMap((node) => {
        const declaration = declarations.get(node as LambdaFunction);
        if (declaration === undefined) return [];
        const set = new Set(variableNames(node as LambdaFunction));
        return declaration.required.filter((name) => !set.has(name)).map((name) => `${node.node.path} misses ${name}, which it requires`);
      }),
  });
}

/**
 * Sets variables of a function's declaration, in the order given.
 *
 * @example
 * setEnvironment(fn, { PURCHASE_QUEUE_URL: this.purchaseQueue.queueUrl });
 */
export function setEnvironment<N extends string>(fn: DeclaredFunction<N>, variables: Partial<Record<NoInfer<N>, string>>): void {
  for (const [name, value] of Object.entries<string | undefined>(variables)) {
    if (value !== undefined) fn.addEnvironment(name, value);
  }
}

/**
 * Variables given at a function's creation, checked against its declaration by the compiler.
 *
 * @example
 * environment: environmentOf(FEEDBACK_ENV, { SOFT_BOUNCE_LIMIT: '3' }),
 */
export function environmentOf<E extends EnvVars>(_declaration: E, variables: EnvironmentOf<E>): Readonly<Record<string, string>> {
  return variables as Readonly<Record<string, string>>;
}

function variableNames(fn: LambdaFunction): string[] {
  const rendered = Stack.of(fn).resolve((fn.node.defaultChild as CfnFunction).environment) as { variables?: Record<string, unknown> } | undefined;
  return Object.keys(rendered?.variables ?? {});
}
