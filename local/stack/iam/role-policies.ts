import { TemplateResolutionError } from '../../errors';
import type { ProvisionedStack } from '../provision/provision-from-template';
import { resolveValue } from '../template/intrinsics';
import type { PolicyStatement } from './policy-evaluation';

/** A function's identity as the template gives it: its role and the statements of every policy attached to it. */
export interface FunctionIdentity {
  readonly functionLogicalId: string;
  /** The role's logical id; undefined when the function's `Role` is not a role of this template. */
  readonly roleLogicalId?: string;
  /** `arn:aws:iam::<account>:role/<name>` */
  readonly roleArn: string;
  /** The session ARN IAM names in its refusals: `arn:aws:sts::<account>:assumed-role/<role>/<function>`. */
  readonly sessionArn: string;
  /** Identity policy statements, intrinsics resolved; undefined when they cannot be known (not evaluated). */
  readonly statements?: readonly PolicyStatement[];
  /** What of the role is not evaluated (AWS managed policies, a permissions boundary), for stack.log. */
  readonly notes: readonly string[];
}

/** A KMS key's policy, by the key's ARN. */
export type KeyPolicies = ReadonlyMap<string, readonly PolicyStatement[]>;

type Properties = Record<string, unknown>;

/**
 * The identity of each function of the provisioned stack: its `Role` (a `Fn::GetAtt` of an
 * `AWS::IAM::Role`, or that role's ARN), and the statements of the role's inline `Policies`,
 * of each `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` whose `Roles` name it, and of the
 * template's managed policies in its `ManagedPolicyArns`. AWS managed policies and permissions
 * boundaries are named in `notes`, not evaluated.
 *
 * @example
 * functionIdentities(stack).get('NotifyFunction')?.statements?.length
 */
export function functionIdentities(stack: ProvisionedStack, functionLogicalIds: readonly string[], functionNames: ReadonlyMap<string, string>): Map<string, FunctionIdentity> {
  const { template, pseudo } = stack;
  const resolve = (value: unknown, logicalId: string): unknown => resolveValue(value, stack.resolveContext(logicalId));
  const resourcesOfType = (type: string): [string, Properties][] =>
    Object.entries(template.Resources)
      .filter(([logicalId, resource]) => resource.Type === type && stack.resources.has(logicalId))
      .map(([logicalId, resource]) => [logicalId, (resource.Properties ?? {}) as Properties]);
  const roleNameOf = (logicalId: string): string => stack.resources.get(logicalId)?.outputs.ref ?? logicalId;
  const roleArnOf = (logicalId: string): string => String(stack.resources.get(logicalId)?.outputs.attributes.Arn ?? '');
  const statementsOf = (document: unknown, where: string): PolicyStatement[] => {
    const statement = (document as { Statement?: unknown } | undefined)?.Statement;
    if (statement === undefined) throw new TemplateResolutionError(where, 'has a policy document without Statement');
    return (Array.isArray(statement) ? statement : [statement]) as PolicyStatement[];
  };
  const names = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

  const policies = resourcesOfType('AWS::IAM::Policy').map(([logicalId, p]) => ({
    logicalId,
    roles: names(resolve(p.Roles, logicalId)),
    statements: statementsOf(resolve(p.PolicyDocument, logicalId), logicalId),
  }));
  const managed = resourcesOfType('AWS::IAM::ManagedPolicy').map(([logicalId, p]) => ({
    logicalId,
    arn: stack.resources.get(logicalId)?.outputs.ref ?? '',
    roles: names(resolve(p.Roles, logicalId)),
    statements: statementsOf(resolve(p.PolicyDocument, logicalId), logicalId),
  }));

  const identities = new Map<string, FunctionIdentity>();
  for (const functionLogicalId of functionLogicalIds) {
    const functionName = functionNames.get(functionLogicalId) ?? functionLogicalId;
    const raw = (template.Resources[functionLogicalId]?.Properties ?? {}) as Properties;
    const roleLogicalId = roleOfFunction(stack, functionLogicalId, raw.Role);
    if (roleLogicalId === undefined) {
      const roleArn = raw.Role === undefined ? '' : String(resolve(raw.Role, functionLogicalId));
      identities.set(functionLogicalId, {
        functionLogicalId,
        roleArn,
        sessionArn: `arn:${pseudo.partition}:sts::${pseudo.accountId}:assumed-role/${roleArn.split('/').at(-1) ?? 'unknown'}/${functionName}`,
        notes: [`its Role (${roleArn || 'none'}) is not a role of this template: its calls are not evaluated`],
      });
      continue;
    }
    const roleName = roleNameOf(roleLogicalId);
    const role = (template.Resources[roleLogicalId]?.Properties ?? {}) as Properties;
    const statements: PolicyStatement[] = [];
    const notes: string[] = [];
    const inline = (resolve(role.Policies ?? [], roleLogicalId) ?? []) as { PolicyDocument?: unknown }[];
    for (const policy of inline) statements.push(...statementsOf(policy.PolicyDocument, roleLogicalId));
    for (const policy of policies) if (policy.roles.includes(roleName)) statements.push(...policy.statements);
    const managedArns = names(resolve(role.ManagedPolicyArns, roleLogicalId));
    for (const policy of managed) {
      if (policy.roles.includes(roleName) || managedArns.includes(policy.arn)) statements.push(...policy.statements);
    }
    for (const arn of managedArns.filter((arn) => !managed.some((policy) => policy.arn === arn))) {
      notes.push(`managed policy ${arn} is not in the template: not evaluated (grants nothing locally)`);
    }
    if (role.PermissionsBoundary !== undefined) notes.push('its permissions boundary is not evaluated');
    identities.set(functionLogicalId, {
      functionLogicalId,
      roleLogicalId,
      roleArn: roleArnOf(roleLogicalId),
      sessionArn: `arn:${pseudo.partition}:sts::${pseudo.accountId}:assumed-role/${roleName}/${functionName}`,
      statements,
      notes,
    });
  }
  return identities;
}

function roleOfFunction(stack: ProvisionedStack, functionLogicalId: string, role: unknown): string | undefined {
  const getAtt = (role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  if (getAtt && stack.template.Resources[getAtt[0]]?.Type === 'AWS::IAM::Role') return getAtt[0];
  if (role === undefined) return undefined;
  const arn = resolveValue(role, stack.resolveContext(functionLogicalId));
  return [...stack.resources.values()].find((r) => r.type === 'AWS::IAM::Role' && r.outputs.attributes.Arn === arn)?.logicalId;
}

/** Each `AWS::KMS::Key`'s `KeyPolicy` statements, by the key's ARN. */
export function keyPolicies(stack: ProvisionedStack): KeyPolicies {
  const policies = new Map<string, readonly PolicyStatement[]>();
  for (const resource of stack.resources.values()) {
    if (resource.type !== 'AWS::KMS::Key') continue;
    const statement = (resource.properties.KeyPolicy as { Statement?: unknown } | undefined)?.Statement;
    if (statement === undefined) continue;
    policies.set(String(resource.outputs.attributes.Arn), (Array.isArray(statement) ? statement : [statement]) as PolicyStatement[]);
  }
  return policies;
}
