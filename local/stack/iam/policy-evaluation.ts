/**
 * IAM's evaluation of policy statements, for the local stack's gate (`policy-gate.ts`).
 *
 * Hand-written: the npm packages that evaluate IAM-style policies are either AGPL
 * (@cloud-copilot/iam-simulate) or unmaintained and not IAM's semantics (`pbac`, last released
 * years ago, and `policy`, which has no ARNs, NotAction or conditions). What the gate needs is
 * small: Allow/Deny, Action/NotAction and Resource/NotResource with `*` and `?`, and the common
 * condition operators with IAM's rules for a key missing from the request.
 */

/** A statement of an identity or resource policy, intrinsics already resolved. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A condition key's value in a request: one string, several, or absent. */
export type ContextValue = string | readonly string[];

/** One authorization IAM makes for a request: an action on a resource, with the request's condition keys. */
export interface AuthorizationRequest {
  /** e.g. `dynamodb:PutItem` */
  readonly action: string;
  /** The resource's ARN, or `*` for actions without a resource type. */
  readonly resource: string;
  /** Condition keys present in this request (any case). */
  readonly context: Readonly<Record<string, ContextValue>>;
  /**
   * Condition keys the gate knows for this request even when they are absent (absent: IAM's
   * rules for a missing key apply). A key neither here nor in `context` cannot be evaluated.
   */
  readonly knownKeys: ReadonlySet<string>;
}

/** What the statements decide. */
export type Decision =
  | { readonly effect: 'allow'; readonly statement: PolicyStatement; readonly unevaluated: readonly string[] }
  | { readonly effect: 'deny'; readonly statement: PolicyStatement; readonly unevaluated: readonly string[] }
  | { readonly effect: 'none'; readonly unevaluated: readonly string[] };

/**
 * IAM's rule for one set of statements: an explicit Deny that applies wins, else an Allow that
 * applies, else nothing (an implicit deny). A condition on a key the gate cannot evaluate is taken
 * as met in an Allow and as not met in a Deny (the gate never refuses for what it cannot see);
 * such keys are returned in `unevaluated`.
 *
 * @example
 * evaluateStatements([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*:*:q' }], request).effect // 'allow'
 */
export function evaluateStatements(statements: readonly PolicyStatement[], request: AuthorizationRequest): Decision {
  const unevaluated = new Set<string>();
  let allow: PolicyStatement | undefined;
  for (const statement of statements) {
    if (!actionMatches(statement, request.action) || !resourceMatches(statement, request.resource)) continue;
    const condition = conditionHolds(statement.Condition, request);
    for (const key of condition.unknown) unevaluated.add(key);
    if (statement.Effect === 'Deny') {
      if (condition.result === 'true') return { effect: 'deny', statement, unevaluated: [...unevaluated] };
    } else if (condition.result !== 'false') {
      allow ??= statement;
    }
  }
  return allow ? { effect: 'allow', statement: allow, unevaluated: [...unevaluated] } : { effect: 'none', unevaluated: [...unevaluated] };
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  // Actions are case-insensitive in IAM.
  const matches = (patterns: readonly string[]): boolean => patterns.some((pattern) => globMatches(pattern.toLowerCase(), action.toLowerCase()));
  if (statement.Action !== undefined) return matches(list(statement.Action));
  if (statement.NotAction !== undefined) return !matches(list(statement.NotAction));
  return false;
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  const matches = (patterns: readonly string[]): boolean => patterns.some((pattern) => arnMatches(pattern, resource));
  if (statement.Resource !== undefined) return matches(list(statement.Resource));
  if (statement.NotResource !== undefined) return !matches(list(statement.NotResource));
  // Key and other resource policies may leave Resource out; it is the resource the policy is on.
  return statement.Principal !== undefined || statement.NotPrincipal !== undefined;
}

/**
 * An ARN pattern of a Resource element against an ARN: `*` alone matches anything; otherwise
 * the partition, service, region and account segments match segment by segment (a wildcard
 * stays within its segment), and the resource part as a whole.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (p === undefined || a === undefined) return globMatches(pattern, arn);
  return p.every((segment, i) => globMatches(segment, a[i] ?? ''));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** `*` any characters, `?` one character, everything else literally. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`).test(value);
}

type Tri = 'true' | 'false' | 'unknown';

/** The operators the gate evaluates: each compares one request value with one policy value. */
const OPERATORS: Readonly<Record<string, { readonly test: (value: string, policy: string) => boolean; readonly negated: boolean }>> = {
  StringEquals: { test: (v, p) => v === p, negated: false },
  StringNotEquals: { test: (v, p) => v === p, negated: true },
  StringEqualsIgnoreCase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: true },
  StringLike: { test: (v, p) => globMatches(p, v), negated: false },
  StringNotLike: { test: (v, p) => globMatches(p, v), negated: true },
  ArnEquals: { test: (v, p) => arnMatches(p, v), negated: false },
  ArnLike: { test: (v, p) => arnMatches(p, v), negated: false },
  ArnNotEquals: { test: (v, p) => arnMatches(p, v), negated: true },
  ArnNotLike: { test: (v, p) => arnMatches(p, v), negated: true },
  Bool: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
  NumericEquals: { test: (v, p) => Number(v) === Number(p), negated: false },
  NumericNotEquals: { test: (v, p) => Number(v) === Number(p), negated: true },
  NumericLessThan: { test: (v, p) => Number(v) < Number(p), negated: false },
  NumericLessThanEquals: { test: (v, p) => Number(v) <= Number(p), negated: false },
  NumericGreaterThan: { test: (v, p) => Number(v) > Number(p), negated: false },
  NumericGreaterThanEquals: { test: (v, p) => Number(v) >= Number(p), negated: false },
};

function conditionHolds(
  condition: PolicyStatement['Condition'],
  request: AuthorizationRequest,
): { result: Tri; unknown: string[] } {
  if (condition === undefined) return { result: 'true', unknown: [] };
  const context = new Map(Object.entries(request.context).map(([key, value]) => [key.toLowerCase(), value] as const));
  const known = new Set([...request.knownKeys].map((key) => key.toLowerCase()));
  const unknown: string[] = [];
  let result: Tri = 'true';
  for (const [operatorName, keys] of Object.entries(condition)) {
    for (const [key, policyValue] of Object.entries(keys)) {
      const lower = key.toLowerCase();
      const present = context.get(lower);
      if (present === undefined && !known.has(lower)) {
        unknown.push(key);
        if (result === 'true') result = 'unknown';
        continue;
      }
      const policyValues = (Array.isArray(policyValue) ? policyValue : [policyValue]).map(String);
      const holds = operatorHolds(operatorName, present, policyValues);
      if (holds === 'unknown') {
        unknown.push(`${operatorName} ${key}`);
        if (result === 'true') result = 'unknown';
      } else if (holds === 'false') {
        result = 'false';
      }
    }
  }
  return { result, unknown };
}

function operatorHolds(name: string, present: ContextValue | undefined, policyValues: readonly string[]): Tri {
  let operatorName = name;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const prefix = /^(ForAnyValue|ForAllValues):/.exec(operatorName);
  if (prefix) {
    set = prefix[1] as 'ForAnyValue' | 'ForAllValues';
    operatorName = operatorName.slice(prefix[0].length);
  }
  const ifExists = operatorName.endsWith('IfExists');
  if (ifExists) operatorName = operatorName.slice(0, -'IfExists'.length);

  if (operatorName === 'Null') {
    // "Null": {"key": "true"} holds when the key is absent.
    const absent = present === undefined || (Array.isArray(present) && present.length === 0);
    return policyValues.some((value) => (value.toLowerCase() === 'true') === absent) ? 'true' : 'false';
  }
  const operator = OPERATORS[operatorName];
  if (operator === undefined) return 'unknown';
  const values = present === undefined ? [] : typeof present === 'string' ? [present] : present;
  const matchesAny = (value: string): boolean => policyValues.some((policy) => operator.test(value, policy));

  if (set === 'ForAllValues') {
    // Every request value must match (negated: match none); no values at all holds.
    const ok = values.every((value) => (operator.negated ? !matchesAny(value) : matchesAny(value)));
    return ok ? 'true' : 'false';
  }
  if (set === 'ForAnyValue') {
    const ok = values.some((value) => (operator.negated ? !matchesAny(value) : matchesAny(value)));
    return ok ? 'true' : 'false';
  }
  if (values.length === 0) {
    // A missing key: IfExists holds, a negated operator holds, a positive one does not.
    return ifExists || operator.negated ? 'true' : 'false';
  }
  const matched = values.some(matchesAny);
  return (operator.negated ? !matched : matched) ? 'true' : 'false';
}

/**
 * Whether a resource policy statement's `Principal` names `principalArns` (an IAM role and its
 * session), or the account itself (`arn:…:iam::<account>:root` or the bare account id), which
 * delegates the decision to the account's identity policies.
 */
export function principalMatch(statement: PolicyStatement, principalArns: readonly string[], accountId: string): 'principal' | 'account' | 'none' {
  const principal = statement.Principal;
  if (principal === undefined) return 'none';
  const awsPrincipals: string[] =
    principal === '*'
      ? ['*']
      : typeof principal === 'object' && principal !== null && 'AWS' in principal
        ? list((principal as { AWS: string | string[] }).AWS).map(String)
        : [];
  if (awsPrincipals.some((p) => p === '*' || principalArns.includes(p))) return 'principal';
  if (awsPrincipals.some((p) => p === accountId || p === `arn:aws:iam::${accountId}:root`)) return 'account';
  return 'none';
}
