import { resolveValue, type ResolveContext } from '../template/intrinsics';
import { localPhysicalName } from '../template/physical-names';
import { IGNORED_TYPES } from '../template/resource-types';
import type { CfnResource, ResourceOutputs } from '../template/types';

/**
 * What `Ref` and `Fn::GetAtt ... Arn` answer for a resource that has no local meaning
 * (an IAM role, a log group, ...): its name as the template gives it, or a local one,
 * and a plausible ARN. Nothing is created. A generated name takes the prefix as provisioned
 * ones do: stacks sharing the emulators must not share, say, a configuration set's name, or
 * each would publish SES events for the others' mail.
 *
 * @example
 * ignoredResourceOutputs('NotifyRole', { Type: 'AWS::IAM::Role' }, context).attributes.Arn
 * // 'arn:aws:iam::000000000000:role/RegistryNotices-NotifyRole'
 */
export function ignoredResourceOutputs(logicalId: string, resource: CfnResource, context: ResolveContext, namePrefix?: string): ResourceOutputs {
  const rule = IGNORED_TYPES[resource.Type];
  const pseudo = context.pseudo;
  const nameValue = rule?.nameProperty ? resource.Properties?.[rule.nameProperty] : undefined;
  const resolved = nameValue === undefined ? undefined : resolveValue(nameValue, { ...context, logicalId });
  const name =
    typeof resolved === 'string' ? resolved : localPhysicalName(pseudo.stackName, logicalId, { maxLength: 1024, prefix: namePrefix });
  const arn = rule?.arn?.(name, pseudo);
  return { ref: rule?.refIsArn && arn ? arn : name, attributes: arn ? { Arn: arn } : {} };
}
