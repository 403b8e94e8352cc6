import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { resourceName } from '../template/physical-names';
import { NO_TAGS, type Provisioner } from './provisioner';

/**
 * Creates an `AWS::S3::Bucket` in the S3 emulator (fauxqs, on the SQS emulator's endpoint,
 * path-style). The name is the template's `BucketName` or a local one, lower-cased and cut to
 * S3's 63 characters. Notifications come from CDK's `Custom::S3BucketNotifications` (see
 * `bucket-notifications.ts`); a notification configuration on the bucket itself fails loudly.
 *
 * @example
 * const bucket = await provision(S3_BUCKET, { logicalId: 'Imports', type: 'AWS::S3::Bucket', stackName: 'S', properties: {} }, target);
 * bucket.outputs.ref // 's-imports'
 */
export const S3_BUCKET: Provisioner = {
  properties: {
    applied: ['BucketName'],
    ignored: {
      BucketEncryption: 'the S3 emulator does not encrypt at rest',
      PublicAccessBlockConfiguration: 'the S3 emulator serves only this machine',
      OwnershipControls: 'no ACLs locally',
      VersioningConfiguration: 'the S3 emulator keeps the latest version of an object only',
      LifecycleConfiguration: 'objects live as long as the emulator runs',
      LoggingConfiguration: 'no server access logs locally',
      Tags: NO_TAGS,
    },
  },
  async create(resource, { clients }) {
    const name = bucketName(resourceName(resource, 'BucketName', { maxLength: 63 }));
    await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    const attributes = { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.local.amazonaws.com` };
    return { outputs: { ref: name, attributes } };
  },
};

/** A local name as S3 allows it: lower case, digits, `-` and `.`, starting and ending with a letter or digit. */
function bucketName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .padEnd(3, '0');
}
