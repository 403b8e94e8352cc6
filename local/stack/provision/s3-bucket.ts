import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProvisioningError } from '../../errors';
import { localPhysicalName } from '../template/physical-names';
import type { CreatedResource, ResourceToCreate } from '../template/types';
import { checkProperties } from './property-check';

const TYPE = 'AWS::S3::Bucket';
const NO_ENCRYPTION = 'the S3 emulator does not encrypt at rest';

/** What creating a bucket needs. */
export interface CreateBucketInput extends ResourceToCreate {
  readonly client: S3Client;
}

/**
 * Creates an `AWS::S3::Bucket` in the S3 emulator (fauxqs, on the SQS emulator's endpoint,
 * path-style). The name is the template's `BucketName` or a local one, lower-cased and cut to
 * S3's 63 characters. Notifications come from CDK's `Custom::S3BucketNotifications` (see
 * `bucket-notifications.ts`); a notification configuration on the bucket itself fails loudly.
 *
 * @example
 * const bucket = await createBucket({ logicalId: 'Imports', stackName: 'S', properties: {}, client });
 * bucket.outputs.ref // 's-imports'
 */
export async function createBucket(input: CreateBucketInput): Promise<CreatedResource> {
  const { logicalId, properties: p } = input;
  const notes = checkProperties(logicalId, TYPE, p, {
    applied: ['BucketName'],
    ignored: {
      BucketEncryption: NO_ENCRYPTION,
      PublicAccessBlockConfiguration: 'the S3 emulator serves only this machine',
      OwnershipControls: 'no ACLs locally',
      VersioningConfiguration: 'the S3 emulator keeps the latest version of an object only',
      LifecycleConfiguration: 'objects live as long as the emulator runs',
      LoggingConfiguration: 'no server access logs locally',
      Tags: 'tags are not needed locally',
    },
  });
  const name = bucketName(localPhysicalName(input.stackName, logicalId, {
    maxLength: 63,
    prefix: input.namePrefix,
    explicitName: typeof p.BucketName === 'string' ? p.BucketName : undefined,
  }));
  try {
    await input.client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    throw new ProvisioningError(logicalId, TYPE, { cause: error });
  }
  return {
    notes,
    outputs: {
      ref: name,
      attributes: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.local.amazonaws.com`,
      },
    },
  };
}

/** A local name as S3 allows it: lower case, digits, `-` and `.`, starting and ending with a letter or digit. */
function bucketName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .padEnd(3, '0');
}
