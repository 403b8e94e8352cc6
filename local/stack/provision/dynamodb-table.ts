import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { ProvisioningError, UnsupportedPropertyError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

/** What creating a table needs. */
export interface CreateTableInput extends ResourceToCreate {
  /** `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` (what CDK's TableV2 emits). */
  readonly type: string;
  readonly client: DynamoDBClient;
}

const NOT_LOCAL = {
  SSESpecification: 'DynamoDB Local does not encrypt at rest',
  PointInTimeRecoverySpecification: 'DynamoDB Local keeps no backups',
  DeletionProtectionEnabled: 'the local tables live as long as the emulator',
  ContributorInsightsSpecification: 'no CloudWatch locally',
  TableClass: 'storage classes do not exist in DynamoDB Local',
  Tags: 'tags are not needed locally',
  ResourcePolicy: 'no IAM locally',
  OnDemandThroughput: 'DynamoDB Local does not throttle',
  WarmThroughput: 'DynamoDB Local does not throttle',
  // AWS::DynamoDB::GlobalTable
  Replicas: 'one region locally: the table is created once, in the local region',
  WriteProvisionedThroughputSettings: 'DynamoDB Local does not throttle',
  WriteOnDemandThroughputSettings: 'DynamoDB Local does not throttle',
  GlobalTableWitnesses: 'one region locally',
  MultiRegionConsistency: 'one region locally',
} as const;

/**
 * Creates an `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` in DynamoDB Local:
 * key schema, attribute definitions, billing mode, global and local secondary indexes,
 * stream, and the TTL attribute (`UpdateTimeToLive`).
 *
 * @example
 * const table = await createTable({ logicalId: 'LedgerTable', type: 'AWS::DynamoDB::Table', stackName: 'S', properties, client });
 * table.outputs.ref // 'S-LedgerTable'
 */
export async function createTable(input: CreateTableInput): Promise<CreatedResource> {
  const { logicalId, type, properties: p } = input;
  const notes = checkProperties(logicalId, type, p, {
    applied: [
      'TableName',
      'KeySchema',
      'AttributeDefinitions',
      'BillingMode',
      'ProvisionedThroughput',
      'GlobalSecondaryIndexes',
      'LocalSecondaryIndexes',
      'StreamSpecification',
      'TimeToLiveSpecification',
    ],
    ignored: NOT_LOCAL,
  });
  const name = localPhysicalName(input.stackName, logicalId, {
    maxLength: 255,
    prefix: input.namePrefix,
    explicitName: typeof p.TableName === 'string' ? p.TableName : undefined,
  });
  const payPerRequest = p.BillingMode === 'PAY_PER_REQUEST' || (type === 'AWS::DynamoDB::GlobalTable' && p.BillingMode === undefined);
  const throughput = payPerRequest ? undefined : (p.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });

  const request: CreateTableCommandInput = {
    TableName: name,
    KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ProvisionedThroughput: throughput as CreateTableCommandInput['ProvisionedThroughput'],
    GlobalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes, throughput, logicalId, type) as GlobalSecondaryIndex[] | undefined,
    LocalSecondaryIndexes: indexes(p.LocalSecondaryIndexes, undefined, logicalId, type) as LocalSecondaryIndex[] | undefined,
    StreamSpecification: streamSpecification(p.StreamSpecification),
  };

  try {
    const created = await input.client.send(new CreateTableCommand(request));
    const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    if (ttl?.AttributeName && ttl.Enabled !== false) {
      await input.client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
        }),
      );
    }
    const description = created.TableDescription;
    const attributes: Record<string, string> = { Arn: description?.TableArn ?? '' };
    if (description?.LatestStreamArn) attributes.StreamArn = description.LatestStreamArn;
    return { notes, outputs: { ref: name, attributes } };
  } catch (error) {
    throw new ProvisioningError(logicalId, type, { cause: error });
  }
}

/** CloudFormation's index shape minus the settings DynamoDB Local has no use for. */
function indexes(value: unknown, throughput: unknown, logicalId: string, type: string): object[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((index: Record<string, unknown>) => {
    for (const key of Object.keys(index)) {
      if (!['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput', 'ContributorInsightsSpecification',
        'OnDemandThroughput', 'WarmThroughput', 'WriteProvisionedThroughputSettings', 'WriteOnDemandThroughputSettings',
        'ReadProvisionedThroughputSettings', 'ReadOnDemandThroughputSettings'].includes(key)) {
        throw new UnsupportedPropertyError(logicalId, type, `index ${String(index.IndexName)}.${key}`);
      }
    }
    const out: Record<string, unknown> = { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection };
    if (throughput !== undefined) out.ProvisionedThroughput = index.ProvisionedThroughput ?? throughput;
    return out;
  });
}

function streamSpecification(value: unknown): CreateTableCommandInput['StreamSpecification'] {
  const viewType = (value as { StreamViewType?: string } | undefined)?.StreamViewType;
  if (!viewType) return undefined;
  return { StreamEnabled: true, StreamViewType: viewType as 'NEW_AND_OLD_IMAGES' };
}
