import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { UnsupportedPropertyError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import { NO_TAGS, type Provisioner } from './provisioner';

/**
 * Puts an `AWS::SSM::Parameter` (String or StringList) into the SSM emulator with the
 * template's value, e.g. the kill switch. A name that starts with `/` keeps the prefix
 * after the first slash so it stays a valid path.
 *
 * @example
 * const parameter = await provision(SSM_PARAMETER, { logicalId: 'KillSwitch', type: 'AWS::SSM::Parameter', stackName: 'S', properties: { Type: 'String', Value: 'off' } }, target);
 * parameter.outputs.ref // 'S-KillSwitch'
 */
export const SSM_PARAMETER: Provisioner = {
  properties: {
    applied: ['Name', 'Type', 'Value'],
    ignored: {
      Description: 'descriptive only',
      AllowedPattern: 'the template value is trusted locally',
      DataType: 'descriptive only locally',
      Tier: 'one tier locally',
      Policies: 'parameter policies are not emulated',
      Tags: NO_TAGS,
    },
  },
  async create({ logicalId, type: resourceType, stackName, namePrefix, properties: p }, { clients }) {
    const type = String(p.Type ?? 'String');
    if (type !== 'String' && type !== 'StringList') {
      throw new UnsupportedPropertyError(logicalId, resourceType, 'Type', `only String and StringList exist in CloudFormation, got ${type}`);
    }
    const explicit = typeof p.Name === 'string' ? p.Name : undefined;
    const name = explicit?.startsWith('/')
      ? `${namePrefix ? `/${namePrefix.replace(/[^A-Za-z0-9_.-]/g, '')}` : ''}${explicit}`
      : localPhysicalName(stackName, logicalId, { maxLength: 2048, prefix: namePrefix, explicitName: explicit });
    const value = Array.isArray(p.Value) ? p.Value.join(',') : String(p.Value ?? '');
    await clients.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
    return { outputs: { ref: name, attributes: { Type: type, Value: value } } };
  },
};
