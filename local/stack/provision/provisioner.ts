import type { EmulatorEndpoints } from '../../emulators';
import { LocalStackError, ProvisioningError } from '../../errors';
import type { SdkClients } from '../aws-clients';
import type { CreatedResource, ResourceOutputs, ResourceToCreate } from '../template/types';
import { checkProperties, type PropertyRules } from './property-check';

/** Where a provisioner creates its resource: the emulators, and a client for each. */
export interface ProvisionTarget {
  readonly clients: SdkClients;
  readonly endpoints: EmulatorEndpoints;
}

/** What a provisioner's `create` returns: the resource's Ref/GetAtt values, and notes beyond the ignored properties. */
export interface Created {
  readonly outputs: ResourceOutputs;
  readonly notes?: readonly string[];
}

/**
 * How the local stack creates one kind of resource in an emulator. Its `properties` are the
 * budget listed in local/README.md: a property in neither list fails loudly before `create`.
 */
export interface Provisioner {
  /** Which properties `create` applies, and which have no local effect (with why). */
  readonly properties: PropertyRules;
  /** Creates the resource; its properties are checked already. */
  create(resource: ResourceToCreate, target: ProvisionTarget): Promise<Created>;
}

/**
 * Checks a resource's properties against its provisioner's rules, then creates it. A failure
 * of the emulator becomes a {@link ProvisioningError} naming the logical id; the local stack's
 * own errors (an unsupported property value) pass as they are.
 *
 * @example
 * const { outputs, notes } = await provision(QUEUE, { logicalId: 'Dlq', type: 'AWS::SQS::Queue', stackName: 'S', properties: {} }, target);
 */
export async function provision(provisioner: Provisioner, resource: ResourceToCreate, target: ProvisionTarget): Promise<CreatedResource> {
  const notes = checkProperties(resource.logicalId, resource.type, resource.properties, provisioner.properties);
  try {
    const created = await provisioner.create(resource, target);
    return { outputs: created.outputs, notes: [...notes, ...(created.notes ?? [])] };
  } catch (error) {
    if (error instanceof LocalStackError) throw error;
    throw new ProvisioningError(resource.logicalId, resource.type, { cause: error });
  }
}

/** Why a `Tags` property has no local effect, the same for every resource type. */
export const NO_TAGS = 'tags are not needed locally';

/** A template boolean, which CloudFormation also accepts as the string `'true'`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
