import type { ProvisionedStack } from '../provision/provision-from-template';
import type { ResourceNames } from './aws-requests';

/**
 * The ARNs of what requests name, as the stack's `Fn::GetAtt … Arn` gives them (so a policy's
 * resources and a request's match): the stack's tables, queues, keys and functions by name or
 * id, its SES identities; anything else gets the ARN AWS would give it in the stack's region and account.
 *
 * @example
 * stackResourceNames(stack).tableArn('RegistryNotices-LedgerTable') // 'arn:aws:dynamodb:ddblocal:000000000000:table/RegistryNotices-LedgerTable'
 */
export function stackResourceNames(stack: ProvisionedStack): ResourceNames {
  const { region, accountId, partition } = stack.pseudo;
  const tables = new Map<string, string>();
  const queues = new Map<string, string>();
  const keys = new Map<string, string>();
  const identities = new Set<string>();
  const functions = new Map<string, string>();
  for (const resource of stack.resources.values()) {
    const arn = resource.outputs.attributes.Arn;
    if (resource.type === 'AWS::DynamoDB::Table' || resource.type === 'AWS::DynamoDB::GlobalTable') tables.set(resource.outputs.ref, String(arn));
    if (resource.type === 'AWS::SQS::Queue') queues.set(String(resource.outputs.attributes.QueueName), String(arn));
    if (resource.type === 'AWS::KMS::Key') keys.set(resource.outputs.ref, String(arn));
    if (resource.type === 'AWS::SES::EmailIdentity') identities.add(resource.outputs.ref.toLowerCase());
    if (resource.type === 'AWS::Lambda::Function') functions.set(resource.outputs.ref, String(arn));
  }
  return {
    region,
    accountId,
    tableArn: (name) => tables.get(name) ?? `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`,
    queueArn: (name) => queues.get(name) ?? `arn:${partition}:sqs:${region}:${accountId}:${name}`,
    keyArn: (keyId) => (keyId.startsWith('arn:') ? keyId : (keys.get(keyId) ?? `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`)),
    functionArn: (name, inRegion = region, inAccount = accountId) =>
      (inRegion === region && inAccount === accountId ? functions.get(name) : undefined) ?? `arn:${partition}:lambda:${inRegion}:${inAccount}:function:${name}`,
    sesIdentity: (address) => {
      const lower = address.toLowerCase();
      return identities.has(lower) ? lower : (lower.split('@')[1] ?? lower);
    },
  };
}
