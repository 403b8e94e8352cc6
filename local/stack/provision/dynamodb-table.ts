import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { UnsupportedPropertyError } from '../../errors';
import { resourceName } from '../template/physical-names';
import { NO_TAGS, type Provisioner } from './provisioner';

const NOT_LOCAL = {
  SSESpecification: 'DynamoDB Local does not encrypt at rest',
  PointInTimeRecoverySpecification: 'DynamoDB Local keeps no backups',
  DeletionProtectionEnabled: 'the local tables live as long as the emulator',
  ContributorInsightsSpecification: 'no CloudWatch locally',
  TableClass: 'storage classes do not exist in DynamoDB Local',
  Tags: NO_TAGS,
  ResourcePolicy: 'not enforced locally: the IAM gate checks role and key policies, not resource policies',
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
 * stream, and the TTL attribute (`UpdateTimeToLive`). CDK's `TableV2` emits the GlobalTable.
 *
 * @example
 * const table = await provision(DYNAMODB_TABLE, { logicalId: 'LedgerTable', type: 'AWS::DynamoDB::Table', stackName: 'S', properties }, target);
 * table.outputs.ref // 'S-LedgerTable'
 */
export const DYNAMODB_TABLE: Provisioner = {
  properties: {
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
  },
  async create(resource, { clients }) {
    const { logicalId, type, properties: p } = resource;
    const name = resourceName(resource, 'TableName', { maxLength: 255 });
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

    const created = await clients.dynamodb.send(new CreateTableCommand(request));
    const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    if (ttl?.AttributeName && ttl.Enabled !== false) {
      await clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }));
    }
    const description = created.TableDescription;
    const attributes: Record<string, string> = { Arn: description?.TableArn ?? '' };
    if (description?.LatestStreamArn) attributes.StreamArn = description.LatestStreamArn;
    return { outputs: { ref: name, attributes } };
  },
};

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
