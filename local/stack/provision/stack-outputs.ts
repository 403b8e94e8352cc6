import { resolveString } from '../template/intrinsics';
import type { ProvisionedStack } from './provision-from-template';

/** The template's `Outputs`, as `DescribeStacks` would list them after a deploy. */
export interface StackOutputs {
  /** Output key → value. */
  readonly values: Readonly<Record<string, string>>;
  /** Outputs with no local value (e.g. DKIM tokens of an ignored SES identity), with why. */
  readonly unavailable: Readonly<Record<string, string>>;
}

/**
 * Resolves the template's `Outputs` against the local resources. Outputs that refer to
 * attributes nothing provides locally are listed as unavailable rather than failing:
 * they are for people, and what a local run needs (queue URLs, table names) resolves.
 *
 * @example
 * resolveStackOutputs(stack).values.PurchaseQueueUrl // 'http://127.0.0.1:4566/000000000000/...'
 */
export function resolveStackOutputs(stack: ProvisionedStack): StackOutputs {
  const values: Record<string, string> = {};
  const unavailable: Record<string, string> = {};
  for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
    try {
      values[key] = resolveString(output.Value, stack.resolveContext(`Outputs.${key}`), `Outputs.${key}`);
    } catch (error) {
      unavailable[key] = (error as Error).message;
    }
  }
  return { values, unavailable };
}
