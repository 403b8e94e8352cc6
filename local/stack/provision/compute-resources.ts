import { createHash } from 'node:crypto';
import { resourceName } from '../template/physical-names';
import type { PseudoParameters, ResourceOutputs } from '../template/types';

/**
 * Names and ARN of an `AWS::Lambda::Function` (nothing is created: the runner runs it).
 *
 * @example
 * functionOutputs('NotifyFn', {}, pseudo).ref // 'RegistryNotices-NotifyFn'
 */
export function functionOutputs(
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
  pseudo: PseudoParameters,
  namePrefix?: string,
): ResourceOutputs {
  const name = resourceName({ logicalId, stackName: pseudo.stackName, properties, namePrefix }, 'FunctionName', { maxLength: 64 });
  const arn = `arn:${pseudo.partition}:lambda:${pseudo.region}:${pseudo.accountId}:function:${name}`;
  return { ref: name, attributes: { Arn: arn } };
}

/**
 * Id and ARN of an `AWS::Lambda::EventSourceMapping`: a UUID derived from the logical id.
 *
 * @example
 * eventSourceMappingOutputs('NotifyQueueSource', pseudo).ref // '6f1c...-....'
 */
export function eventSourceMappingOutputs(logicalId: string, pseudo: PseudoParameters): ResourceOutputs {
  const hex = createHash('sha256').update(`${pseudo.stackName}/${logicalId}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const arn = `arn:${pseudo.partition}:lambda:${pseudo.region}:${pseudo.accountId}:event-source-mapping:${id}`;
  return { ref: id, attributes: { EventSourceMappingArn: arn, Id: id } };
}

/**
 * Name and ARN of an `AWS::Scheduler::Schedule` (the local scheduler runs it).
 *
 * @example
 * scheduleOutputs('AuditSchedule', {}, pseudo).attributes.Arn // 'arn:aws:scheduler:...:schedule/default/...'
 */
export function scheduleOutputs(
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
  pseudo: PseudoParameters,
  namePrefix?: string,
): ResourceOutputs {
  const name = resourceName({ logicalId, stackName: pseudo.stackName, properties, namePrefix }, 'Name', { maxLength: 64 });
  const group = typeof properties.GroupName === 'string' ? properties.GroupName : 'default';
  const arn = `arn:${pseudo.partition}:scheduler:${pseudo.region}:${pseudo.accountId}:schedule/${group}/${name}`;
  return { ref: name, attributes: { Arn: arn } };
}

/**
 * URL, id and target of an `AWS::Lambda::Url`, served locally on `port` (the runner starts
 * the server). The id is derived from the logical id, 32 characters as on AWS.
 *
 * @example
 * functionUrlOutputs('OperatorUrl', { TargetFunctionArn: fnArn }, 9000, pseudo).attributes.FunctionUrl // 'http://127.0.0.1:9000/'
 */
export function functionUrlOutputs(
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
  port: number,
  pseudo: PseudoParameters,
): ResourceOutputs {
  const urlId = createHash('sha256').update(`${pseudo.stackName}/${logicalId}`).digest('hex').slice(0, 32);
  const url = `http://127.0.0.1:${port}/`;
  return { ref: url, attributes: { FunctionUrl: url, FunctionArn: String(properties.TargetFunctionArn ?? ''), UrlId: urlId } };
}
