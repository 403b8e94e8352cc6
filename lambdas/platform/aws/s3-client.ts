import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { awsHttpHandler } from './http-options';

/**
 * An S3 client as our functions use it (GetObject from a byte, PutObject): the SDK's defaults
 * with the house HTTP timeouts (an idle stream gives up after 30 s). Buckets are addressed
 * path-style when an endpoint other than AWS's is set (`AWS_ENDPOINT_URL_S3`, the local stack).
 *
 * @example
 * export const s3 = s3Client();
 */
export function s3Client(config: S3ClientConfig = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  const local = Boolean(config.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  return new S3Client({ requestHandler: awsHttpHandler({ socketTimeoutMs: 30_000 }), forcePathStyle: local, ...config });
}
