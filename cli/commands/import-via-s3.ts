import { createReadStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Upload } from '@aws-sdk/lib-storage';
import { DynamoDbImportProgress } from '../../lambdas/imports/tables/import-progress';
import type { ImportReport } from '../../lambdas/imports/send-log/import-send-log';
import { ImportState, type ImportProgress } from '../../lambdas/imports/ports/import-progress';
import { SEND_LOG_PREFIX } from '../../lambdas/imports/s3-import/routes';
import { CliError } from '../errors';
import { requireOutput, type StackTarget } from '../stack-target';

export interface ImportViaS3Options {
  /** How often the import's progress is read. @default 1000 */
  readonly pollMs?: number;
  /** Told each time the import has moved on (lines handled so far). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** For the object's key. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Uploads a send log to the stack's import bucket under `send-logs/` (streamed from the file, a
 * multipart upload when large), where the S3 import function imports it chunk by chunk in bounded memory
 * (`lambdas/imports/s3-import/`, route `send-logs/`), and waits for the import to finish, reading its
 * progress item (`ImportProgressTableName`). The report is the one `import` prints: lines,
 * accepted, already imported, refused with line, field and rule.
 *
 * @example
 * const { key, report } = await importViaS3(target, 'legacy.jsonl', { onProgress: (p) => print(p.position.nextLine) });
 */
export async function importViaS3(target: StackTarget, file: string, options: ImportViaS3Options = {}): Promise<{ key: string; report: ImportReport }> {
  const bucket = requireOutput(target, 'ImportBucketName');
  const progress = new DynamoDbImportProgress({ client: target.documentClient, tableName: requireOutput(target, 'ImportProgressTableName') });
  const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
  // A fresh key per upload: the same file uploaded again is a new import (its rows come back "already imported").
  const key = `${SEND_LOG_PREFIX}${stamp}-${path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}`;
  // In parts of 8 MiB, 4 at a time (one PutObject when smaller): no single request carries a large log.
  const put = await new Upload({
    client: target.s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: 'application/x-ndjson' },
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
  }).done();
  const importId = `${bucket}/${key}@${(put.ETag ?? '').replaceAll('"', '')}`;
  let seen = -1;
  for (;;) {
    const item = await progress.get(importId);
    if (item && item.position.nextLine !== seen) {
      seen = item.position.nextLine;
      options.onProgress?.(item);
    }
    if (item?.state === ImportState.DONE) {
      const { lines, applied, unchanged, refused, issues, issuesTruncated } = item.report;
      return { key, report: { lines, accepted: applied, alreadyPresent: unchanged, refused, issues, issuesTruncated } };
    }
    if (item?.state === ImportState.SUPERSEDED) throw new CliError(`s3://${bucket}/${key} was overwritten during its import; its new version is imported on its own.`);
    await sleep(options.pollMs ?? 1000);
  }
}
