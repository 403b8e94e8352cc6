import { LocalRole } from '../template/resource-types';
import { DYNAMODB_TABLE } from './dynamodb-table';
import { KMS_KEY } from './kms-key';
import type { Provisioner } from './provisioner';
import { S3_BUCKET } from './s3-bucket';
import { SNS_SUBSCRIPTION } from './sns-subscription';
import { SNS_TOPIC } from './sns-topic';
import { SQS_QUEUE } from './sqs-queue';
import { SSM_PARAMETER } from './ssm-parameter';

/** The roles whose resources are created in an emulator, and how. */
export const PROVISIONERS: Partial<Readonly<Record<LocalRole, Provisioner>>> = {
  [LocalRole.QUEUE]: SQS_QUEUE,
  [LocalRole.TABLE]: DYNAMODB_TABLE,
  [LocalRole.PARAMETER]: SSM_PARAMETER,
  [LocalRole.KEY]: KMS_KEY,
  [LocalRole.BUCKET]: S3_BUCKET,
  [LocalRole.TOPIC]: SNS_TOPIC,
  [LocalRole.SUBSCRIPTION]: SNS_SUBSCRIPTION,
};
