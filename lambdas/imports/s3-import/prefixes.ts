/**
 * Key prefixes of the import bucket, one per kind of JSON Lines file (routes in `routes.ts`; the
 * stack's `S3LineImport` has the bucket notify the import queue of each). No imports, so the
 * CDK app and the CLI can use them without the function's clients.
 */

/** Directory snapshots (directory events v1: docs/directory-events.md, "Backfill"). */
export const DIRECTORY_PREFIX = 'directory/';

/** Other systems' send logs (send log v1: docs/send-log-format.md), `import <file> --s3` uploads here. */
export const SEND_LOG_PREFIX = 'send-logs/';
