import { TemplateResolutionError, UnsupportedPropertyError } from '../../errors';
import { queueWithArn, type ProvisionedResource, type ProvisionedStack } from '../provision/provision-from-template';
import { checkProperties } from '../provision/property-check';
import type { LocalFunctionDefinition } from './function-definition';
import type { SqsEventSourceSettings } from './sqs-event-source';

const TYPE = 'AWS::Lambda::EventSourceMapping';

/** A resolved SQS event source mapping and the function it invokes. */
export interface SqsMapping {
  readonly settings: SqsEventSourceSettings;
  readonly functionLogicalId: string;
  readonly enabled: boolean;
}

/**
 * Reads an `AWS::Lambda::EventSourceMapping` whose source is a queue of this stack:
 * batch size, batching window, maximum concurrency, `ReportBatchItemFailures`, enabled.
 * As Lambda's CreateEventSourceMapping does, it rejects a queue whose visibility timeout
 * is shorter than the function's timeout. Filters and non-SQS sources fail loudly.
 *
 * @example
 * const mapping = sqsMapping(stack.resources.get('NotifySqsSource')!, stack, functionsByLogicalId);
 * mapping.settings.batchSize // 10
 */
export function sqsMapping(
  resource: ProvisionedResource,
  stack: ProvisionedStack,
  functions: ReadonlyMap<string, LocalFunctionDefinition>,
): SqsMapping {
  const { logicalId, properties: p } = resource;
  checkProperties(logicalId, TYPE, p, {
    applied: ['EventSourceArn', 'FunctionName', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'ScalingConfig', 'FunctionResponseTypes', 'Enabled'],
    ignored: { MetricsConfig: 'no CloudWatch locally', Tags: 'tags are not needed locally', KmsKeyArn: 'no encryption locally' },
  });
  const queue = queueWithArn(stack, p.EventSourceArn);
  if (queue === undefined) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'EventSourceArn', `${String(p.EventSourceArn)} is not an SQS queue of this stack`);
  }
  const target = [...functions.values()].find(
    (definition) => definition.name === p.FunctionName || definition.arn === p.FunctionName || p.FunctionName === `${definition.arn}:$LATEST`,
  );
  if (target === undefined) {
    throw new TemplateResolutionError(logicalId, `FunctionName ${String(p.FunctionName)} is not a function of this stack`);
  }
  const windowSeconds = Number(p.MaximumBatchingWindowInSeconds ?? 0);
  const batchSize = Number(p.BatchSize ?? 10);
  if (batchSize > 10 && windowSeconds === 0) {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'BatchSize', 'above 10 needs MaximumBatchingWindowInSeconds ≥ 1 (as in AWS)');
  }
  const visibilityTimeout = Number(queue.properties.VisibilityTimeout ?? 30);
  if (visibilityTimeout < target.timeoutSeconds) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      'EventSourceArn',
      `queue ${queue.logicalId} has a visibility timeout of ${visibilityTimeout} s, shorter than the function timeout of ` +
        `${target.timeoutSeconds} s; Lambda refuses this mapping too`,
    );
  }
  const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  const responseTypes = (p.FunctionResponseTypes as string[] | undefined) ?? [];
  return {
    functionLogicalId: target.logicalId,
    enabled: p.Enabled !== false && p.Enabled !== 'false',
    settings: {
      logicalId,
      queueUrl: queue.outputs.ref,
      queueArn: String(queue.outputs.attributes.Arn),
      batchSize,
      maximumBatchingWindowSeconds: windowSeconds,
      // Lambda starts with five pollers and scales up; locally five unless capped lower.
      maximumConcurrency: Number(scaling?.MaximumConcurrency ?? 5),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
    },
  };
}
