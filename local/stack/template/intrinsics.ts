import { TemplateResolutionError, UnsupportedIntrinsicError } from '../../errors';
import type { CfnTemplate, PseudoParameters, ResourceOutputs } from './types';

/** What the resolver needs: the template, the pseudo parameters, and each resource's Ref/GetAtt values. */
export interface ResolveContext {
  readonly template: CfnTemplate;
  readonly pseudo: PseudoParameters;
  /** Ref/GetAtt values of a resource that exists locally; throws when it does not (yet). */
  readonly outputsOf: (logicalId: string) => ResourceOutputs;
  /** The resource whose properties are resolved, named in every error. */
  readonly logicalId?: string;
}

/** Marks a value that resolved to `AWS::NoValue`: the property or list item is dropped. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const UNSUPPORTED = new Map<string, string>([
  ['Fn::ImportValue', 'cross-stack imports are not resolved locally; pass the value in (a parameter or context) instead'],
  ['Fn::Cidr', 'no networking is emulated'],
  ['Fn::Transform', 'template macros are not run locally'],
  ['Fn::ForEach', 'the AWS::LanguageExtensions transform is not run locally'],
  ['Fn::Length', 'the AWS::LanguageExtensions transform is not run locally'],
  ['Fn::ToJsonString', 'the AWS::LanguageExtensions transform is not run locally'],
]);

/**
 * Resolves CloudFormation intrinsic functions in a template value, the way CloudFormation
 * does at deploy time, against resources that exist in the local emulators.
 *
 * Supported: `Ref` (resources, parameters by their `Default`, pseudo parameters),
 * `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` (both forms, `${!Literal}` escapes),
 * `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::Base64`, `Fn::GetAZs`, `Fn::If`,
 * `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `AWS::NoValue`. Anything else
 * (`Fn::ImportValue` included) throws {@link UnsupportedIntrinsicError} naming the resource.
 *
 * @example
 * resolveValue({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q' }, ctx)
 * // 'arn:aws:sqs:eu-central-1:000000000000:q'
 */
export function resolveValue(value: unknown, context: ResolveContext): unknown {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

/**
 * Resolves a value that must come out as a string (an env var, a name, an ARN).
 *
 * @example
 * resolveString({ Ref: 'PurchaseQueue' }, ctx, 'Environment.Variables.QUEUE_URL') // 'http://127.0.0.1:4566/000000000000/...'
 */
export function resolveString(value: unknown, context: ResolveContext, what: string): string {
  const resolved = resolveValue(value, context);
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  if (typeof resolved !== 'string') {
    throw new TemplateResolutionError(context.logicalId, `${what} should be a string, got ${describe(resolved)}`);
  }
  return resolved;
}

/**
 * Evaluates a named template condition (`Conditions` section).
 *
 * @example
 * evaluateCondition('IsProd', ctx) // false
 */
export function evaluateCondition(name: string, context: ResolveContext): boolean {
  const definition = context.template.Conditions?.[name];
  if (definition === undefined) {
    throw new TemplateResolutionError(context.logicalId, `condition ${name} is not defined in the template`);
  }
  const value = resolve(definition, context);
  if (typeof value !== 'boolean') {
    throw new TemplateResolutionError(context.logicalId, `condition ${name} did not evaluate to true/false`);
  }
  return value;
}

function resolve(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;

  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
    return resolveIntrinsic(only, (value as Record<string, unknown>)[only], context);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, context);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** One intrinsic function: its argument as the template has it, resolved in `context`. */
type Intrinsic = (argument: unknown, context: ResolveContext, name: string) => unknown;

/** The intrinsic functions resolved locally, by name (the rest are {@link UNSUPPORTED} or unknown). */
const INTRINSICS = new Map<string, Intrinsic>([
  ['Ref', (argument, context, name) => resolveRef(expectString(argument, name, context), context)],
  ['Fn::GetAtt', resolveGetAtt],
  ['Fn::Join', resolveJoin],
  ['Fn::Sub', resolveSub],
  ['Fn::Select', resolveSelect],
  ['Fn::Split', resolveSplit],
  ['Fn::FindInMap', resolveFindInMap],
  ['Fn::Base64', (argument, context, name) => Buffer.from(expectString(resolve(argument, context), name, context)).toString('base64')],
  ['Fn::GetAZs', (_argument, context) => ['a', 'b', 'c'].map((zone) => `${context.pseudo.region}${zone}`)],
  ['Fn::If', resolveIf],
  [
    'Fn::Equals',
    (argument, context, name) => {
      const [left, right] = expectArgs(argument, 2, name, context);
      return JSON.stringify(resolve(left, context)) === JSON.stringify(resolve(right, context));
    },
  ],
  [
    'Fn::Not',
    (argument, context, name) => {
      const [operand] = expectArgs(argument, 1, name, context);
      return !conditionValue(operand, context);
    },
  ],
  ['Fn::And', (argument, context, name) => expectList(argument, name, context).every((operand) => conditionValue(operand, context))],
  ['Fn::Or', (argument, context, name) => expectList(argument, name, context).some((operand) => conditionValue(operand, context))],
]);

function resolveIntrinsic(name: string, argument: unknown, context: ResolveContext): unknown {
  const intrinsic = INTRINSICS.get(name);
  if (intrinsic === undefined) throw new UnsupportedIntrinsicError(name, context.logicalId, UNSUPPORTED.get(name));
  return intrinsic(argument, context, name);
}

function resolveRef(target: string, context: ResolveContext): unknown {
  const pseudo = pseudoParameter(target, context);
  if (pseudo !== undefined) return pseudo;
  const parameter = context.template.Parameters?.[target];
  if (parameter !== undefined) {
    if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
      throw new TemplateResolutionError(
        context.logicalId,
        `parameter ${target} is read from SSM at deploy time (${parameter.Type}); the local stack does not resolve it`,
      );
    }
    if (parameter.Default === undefined) {
      throw new TemplateResolutionError(context.logicalId, `parameter ${target} has no Default to use locally`);
    }
    return parameter.Default;
  }
  if (context.template.Resources[target] === undefined) {
    throw new TemplateResolutionError(context.logicalId, `Ref to ${target}, which the template does not define`);
  }
  return context.outputsOf(target).ref;
}

function pseudoParameter(name: string, context: ResolveContext): unknown {
  const { pseudo } = context;
  const values = new Map<string, unknown>([
    ['AWS::Region', pseudo.region],
    ['AWS::AccountId', pseudo.accountId],
    ['AWS::Partition', pseudo.partition],
    ['AWS::URLSuffix', pseudo.urlSuffix],
    ['AWS::StackName', pseudo.stackName],
    ['AWS::StackId', pseudo.stackId],
    ['AWS::NotificationARNs', []],
    ['AWS::NoValue', NO_VALUE],
  ]);
  if (values.has(name)) return values.get(name);
  if (name.startsWith('AWS::')) throw new UnsupportedIntrinsicError(`Ref ${name}`, context.logicalId, 'unknown pseudo parameter');
  return undefined;
}

function resolveGetAtt(argument: unknown, context: ResolveContext): unknown {
  let target: string;
  let attribute: string;
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    if (dot < 1) throw new TemplateResolutionError(context.logicalId, `Fn::GetAtt "${argument}" is not "Resource.Attribute"`);
    target = argument.slice(0, dot);
    attribute = argument.slice(dot + 1);
  } else {
    const [first, second] = expectArgs(argument, 2, 'Fn::GetAtt', context);
    target = expectString(first, 'Fn::GetAtt', context);
    attribute = expectString(resolve(second, context), 'Fn::GetAtt', context);
  }
  return getAtt(target, attribute, context);
}

function getAtt(target: string, attribute: string, context: ResolveContext): string | readonly string[] {
  if (context.template.Resources[target] === undefined) {
    throw new TemplateResolutionError(context.logicalId, `Fn::GetAtt on ${target}, which the template does not define`);
  }
  const value = context.outputsOf(target).attributes[attribute];
  if (value === undefined) {
    throw new UnsupportedIntrinsicError(
      `Fn::GetAtt ${target}.${attribute}`,
      context.logicalId,
      `the local stack does not provide attribute ${attribute} of ${target} (${context.template.Resources[target]?.Type})`,
    );
  }
  return value;
}

function resolveJoin(argument: unknown, context: ResolveContext): string {
  const [delimiter, list] = expectArgs(argument, 2, 'Fn::Join', context);
  const items = resolve(list, context);
  if (!Array.isArray(items)) {
    throw new TemplateResolutionError(context.logicalId, `Fn::Join needs a list, got ${describe(items)}`);
  }
  return items.map((item) => scalar(item, 'Fn::Join', context)).join(expectString(delimiter, 'Fn::Join', context));
}

function resolveSub(argument: unknown, context: ResolveContext): string {
  let text: string;
  let variables: Record<string, unknown> = {};
  if (typeof argument === 'string') {
    text = argument;
  } else {
    const [template, vars] = expectArgs(argument, 2, 'Fn::Sub', context);
    text = expectString(template, 'Fn::Sub', context);
    if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) {
      throw new TemplateResolutionError(context.logicalId, 'Fn::Sub variables must be an object');
    }
    variables = vars as Record<string, unknown>;
  }
  return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return scalar(resolve(variables[name], context), 'Fn::Sub', context);
    const pseudo = pseudoParameter(name, context);
    if (pseudo !== undefined) return scalar(pseudo, 'Fn::Sub', context);
    const dot = name.indexOf('.');
    if (dot > 0 && context.template.Resources[name.slice(0, dot)] !== undefined) {
      return scalar(getAtt(name.slice(0, dot), name.slice(dot + 1), context), 'Fn::Sub', context);
    }
    return scalar(resolveRef(name, context), 'Fn::Sub', context);
  });
}

function resolveSelect(argument: unknown, context: ResolveContext): unknown {
  const [index, list] = expectArgs(argument, 2, 'Fn::Select', context);
  const position = Number(resolve(index, context));
  const items = resolve(list, context);
  if (!Array.isArray(items)) {
    throw new TemplateResolutionError(context.logicalId, `Fn::Select needs a list, got ${describe(items)}`);
  }
  if (!Number.isInteger(position) || position < 0 || position >= items.length) {
    throw new TemplateResolutionError(context.logicalId, `Fn::Select index ${String(index)} is outside a list of ${items.length}`);
  }
  return items[position];
}

function resolveSplit(argument: unknown, context: ResolveContext): string[] {
  const [delimiter, source] = expectArgs(argument, 2, 'Fn::Split', context);
  const text = expectString(resolve(source, context), 'Fn::Split', context);
  return text.split(expectString(delimiter, 'Fn::Split', context));
}

function resolveFindInMap(argument: unknown, context: ResolveContext): unknown {
  const [map, top, second] = expectArgs(argument, 3, 'Fn::FindInMap', context).map((part) =>
    expectString(resolve(part, context), 'Fn::FindInMap', context),
  ) as [string, string, string];
  const value = context.template.Mappings?.[map]?.[top]?.[second];
  if (value === undefined) {
    throw new TemplateResolutionError(context.logicalId, `Fn::FindInMap ${map}.${top}.${second} is not in Mappings`);
  }
  return value;
}

function resolveIf(argument: unknown, context: ResolveContext): unknown {
  const [condition, whenTrue, whenFalse] = expectArgs(argument, 3, 'Fn::If', context);
  return evaluateCondition(expectString(condition, 'Fn::If', context), context)
    ? resolve(whenTrue, context)
    : resolve(whenFalse, context);
}

/** An operand of Fn::Not/And/Or: a nested condition function or `{ "Condition": "Name" }`. */
function conditionValue(operand: unknown, context: ResolveContext): boolean {
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    const named = (operand as Record<string, unknown>).Condition;
    if (typeof named === 'string' && Object.keys(operand).length === 1) return evaluateCondition(named, context);
  }
  const value = resolve(operand, context);
  if (typeof value !== 'boolean') {
    throw new TemplateResolutionError(context.logicalId, `a condition operand evaluated to ${describe(value)}`);
  }
  return value;
}

function expectArgs(argument: unknown, count: number, name: string, context: ResolveContext): unknown[] {
  if (!Array.isArray(argument) || argument.length !== count) {
    throw new TemplateResolutionError(context.logicalId, `${name} takes a list of ${count} arguments`);
  }
  return argument;
}

function expectList(argument: unknown, name: string, context: ResolveContext): unknown[] {
  if (!Array.isArray(argument)) throw new TemplateResolutionError(context.logicalId, `${name} takes a list`);
  return argument;
}

function expectString(value: unknown, name: string, context: ResolveContext): string {
  if (typeof value !== 'string') {
    throw new TemplateResolutionError(context.logicalId, `${name} expected a string, got ${describe(value)}`);
  }
  return value;
}

function scalar(value: unknown, name: string, context: ResolveContext): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateResolutionError(context.logicalId, `${name} can only use text, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value;
}
