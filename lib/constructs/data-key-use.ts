import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/** The services that use the data key for our functions (tables, queues, the import bucket). */
export type DataKeyService = 'dynamodb' | 'sqs' | 's3';

/**
 * The condition that limits a data-key grant to requests a service makes for the caller
 * (`kms:ViaService`, e.g. `dynamodb.eu-west-1.amazonaws.com`): the function may have DynamoDB
 * decrypt its items, but may not call `kms:Decrypt` on the key itself.
 *
 * @example
 * new PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: viaService(fn, 'dynamodb') });
 */
export function viaService(scope: IConstruct, service: DataKeyService): Record<string, Record<string, string>> {
  return { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com` } };
}

/**
 * Denies every use of `key` that does not come through one of our services, whatever else the
 * role allows: CDK's own grants (the SQS event source's `kms:Decrypt` on the queue's key) carry
 * no `kms:ViaService`, and an explicit Deny bounds them too.
 *
 * @example
 * denyKeyOutsideServices(consumerFunction, queue.encryptionMasterKey);
 */
export function denyKeyOutsideServices(grantee: IGrantable & IConstruct, key: IKey): void {
  const region = Stack.of(grantee).region;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      // What that grant allows; our own grants are conditioned where they are made.
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringNotEquals: { 'kms:ViaService': (['dynamodb', 'sqs', 's3'] as const).map((s) => `${s}.${region}.amazonaws.com`) } },
    }),
  );
}
