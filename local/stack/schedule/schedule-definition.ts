import { UnsupportedPropertyError } from '../../errors';
import type { LocalFunctionDefinition } from '../lambda/function-definition';
import { queueWithArn, type ProvisionedResource, type ProvisionedStack } from '../provision/provision-from-template';
import { checkProperties } from '../provision/property-check';
import { parseScheduleExpression, type ScheduleExpression } from './schedule-expression';
import { instantOfWallTime } from './wall-clock';

const TYPE = 'AWS::Scheduler::Schedule';

/** What a schedule invokes: a function of the stack, or sends to a queue of the stack. */
export type ScheduleTarget =
  | { readonly kind: 'function'; readonly functionLogicalId: string }
  | { readonly kind: 'queue'; readonly queueUrl: string };

/** One `AWS::Scheduler::Schedule`, resolved and ready for the local scheduler. */
export interface ScheduleDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly expression: ScheduleExpression;
  readonly enabled: boolean;
  readonly target: ScheduleTarget;
  /** `Target.Input`, the payload as text (JSON for a function). */
  readonly input: string | undefined;
  readonly startDate?: Date;
  readonly endDate?: Date;
}

/**
 * Reads a schedule from the provisioned template: expression (rate/cron/at) in its time
 * zone, state, start/end dates, and its target — a function (by ARN) or a queue of the
 * stack. Other targets (universal targets, other services) fail loudly.
 *
 * @example
 * scheduleDefinition(stack.resources.get('AuditSchedule')!, stack, functions).expression.text // 'rate(15 minutes)'
 */
export function scheduleDefinition(
  resource: ProvisionedResource,
  stack: ProvisionedStack,
  functions: ReadonlyMap<string, LocalFunctionDefinition>,
  startedAt: Date,
): ScheduleDefinition {
  const { logicalId, properties: p } = resource;
  checkProperties(logicalId, TYPE, p, {
    applied: ['ScheduleExpression', 'ScheduleExpressionTimezone', 'State', 'StartDate', 'EndDate', 'Target', 'Name'],
    ignored: {
      FlexibleTimeWindow: 'the local scheduler fires at the exact time',
      Description: 'descriptive only',
      GroupName: 'schedules run from local timers whatever their group',
      KmsKeyArn: 'no encryption locally',
      ActionAfterCompletion: 'one-time schedules are simply not fired again locally',
    },
  });
  const target = (p.Target ?? {}) as { Arn?: string; Input?: string };
  const timeZone = typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : 'Etc/UTC';
  const startDate = typeof p.StartDate === 'string' ? date(p.StartDate, timeZone) : undefined;
  const endDate = typeof p.EndDate === 'string' ? date(p.EndDate, timeZone) : undefined;
  return {
    logicalId,
    name: resource.outputs.ref,
    expression: parseScheduleExpression(String(p.ScheduleExpression ?? ''), { anchor: startDate ?? startedAt, timeZone }),
    enabled: p.State !== 'DISABLED',
    target: targetOf(logicalId, target.Arn, stack, functions),
    input: target.Input,
    ...(startDate ? { startDate } : {}),
    ...(endDate ? { endDate } : {}),
  };
}

function targetOf(
  logicalId: string,
  arn: string | undefined,
  stack: ProvisionedStack,
  functions: ReadonlyMap<string, LocalFunctionDefinition>,
): ScheduleTarget {
  const fn = [...functions.values()].find((definition) => arn === definition.arn || arn?.startsWith(`${definition.arn}:`));
  if (fn) return { kind: 'function', functionLogicalId: fn.logicalId };
  const queue = queueWithArn(stack, arn);
  if (queue) return { kind: 'queue', queueUrl: queue.outputs.ref };
  throw new UnsupportedPropertyError(logicalId, TYPE, 'Target.Arn', `${String(arn)} is neither a function nor a queue of this stack`);
}

function date(text: string, timeZone: string): Date {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? new Date(text) : instantOfWallTime(text.replace(/\.\d+$/, ''), timeZone);
}
