import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ProvisioningError, UnsupportedPropertyError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::SSM::Parameter';

/** What creating a parameter needs. */
export interface CreateParameterInput extends ResourceToCreate {
  readonly client: SSMClient;
}

/**
 * Puts an `AWS::SSM::Parameter` (String or StringList) into the SSM emulator with the
 * template's value, e.g. the kill switch. A name that starts with `/` keeps the prefix
 * after the first slash so it stays a valid path.
 *
 * @example
 * const parameter = await createParameter({ logicalId: 'KillSwitch', stackName: 'S', properties: { Type: 'String', Value: 'off' }, client });
 * parameter.outputs.ref // 'S-KillSwitch'
 */
export async function createParameter(input: CreateParameterInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['Name', 'Type', 'Value'],
    ignored: {
      Description: 'descriptive only',
      AllowedPattern: 'the template value is trusted locally',
      DataType: 'descriptive only locally',
      Tier: 'one tier locally',
      Policies: 'parameter policies are not emulated',
      Tags: 'tags are not needed locally',
    },
  });
  const type = String(p.Type ?? 'String');
  if (type !== 'String' && type !== 'StringList') {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'Type', `only String and StringList exist in CloudFormation, got ${type}`);
  }
  const explicit = typeof p.Name === 'string' ? p.Name : undefined;
  const name = explicit?.startsWith('/')
    ? `${input.namePrefix ? `/${input.namePrefix.replace(/[^A-Za-z0-9_.-]/g, '')}` : ''}${explicit}`
    : localPhysicalName(input.stackName, logicalId, { maxLength: 2048, prefix: input.namePrefix, explicitName: explicit });
  const value = Array.isArray(p.Value) ? p.Value.join(',') : String(p.Value ?? '');
  try {
    await input.client.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
  return { notes, outputs: { ref: name, attributes: { Type: type, Value: value } } };
}
