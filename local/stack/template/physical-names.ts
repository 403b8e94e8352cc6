import { createHash } from 'node:crypto';

/** Options for naming local resources. */
export interface PhysicalNameOptions {
  /** Put before every name, so several provisioned copies can share one set of emulators (tests). */
  readonly prefix?: string;
  /** The longest name the service accepts (SQS 80, DynamoDB 255, Lambda 64). */
  readonly maxLength: number;
  /** A name the template sets explicitly (`QueueName`, `TableName`, ...). */
  readonly explicitName?: string;
  /** Kept at the end of the name (SQS FIFO queues must end in `.fifo`). */
  readonly suffix?: string;
}

/**
 * The name a resource gets locally. CloudFormation would generate
 * `<stack>-<logicalId>-<random>`; locally the name is deterministic, so every run and
 * the CLI agree on it. Too long a name is shortened with a stable hash.
 *
 * @example
 * localPhysicalName('RegistryNotices', 'PurchaseQueue1A2B', { maxLength: 80 }) // 'RegistryNotices-PurchaseQueue1A2B'
 */
export function localPhysicalName(stackName: string, logicalId: string, options: PhysicalNameOptions): string {
  const suffix = options.suffix ?? '';
  let base = options.explicitName ?? `${stackName}-${logicalId}`;
  if (suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
  const name = `${options.prefix ?? ''}${base}`;
  const room = options.maxLength - suffix.length;
  if (name.length <= room) return `${name}${suffix}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, room - hash.length - 1)}-${hash}${suffix}`;
}

/** What {@link resourceName} needs of a resource. */
export interface NamedResource {
  readonly logicalId: string;
  readonly stackName: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly namePrefix?: string;
}

/**
 * {@link localPhysicalName} of a template resource: the name its `nameProperty` sets, if a
 * string, else `<stack>-<logicalId>`; the resource's name prefix before it.
 *
 * @example
 * resourceName({ logicalId: 'Dlq', stackName: 'S', properties: {} }, 'QueueName', { maxLength: 80 }) // 'S-Dlq'
 */
export function resourceName(resource: NamedResource, nameProperty: string, options: Pick<PhysicalNameOptions, 'maxLength' | 'suffix'>): string {
  const explicit = resource.properties[nameProperty];
  return localPhysicalName(resource.stackName, resource.logicalId, {
    ...options,
    prefix: resource.namePrefix,
    explicitName: typeof explicit === 'string' ? explicit : undefined,
  });
}
