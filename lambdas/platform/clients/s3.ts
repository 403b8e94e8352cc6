import { s3Client } from '../aws/s3-client';

/** The function's S3 client (the line import's reads and reports), once per execution environment (see `dynamodb.ts`). */
export const s3 = s3Client();
