import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEND_LOG_LINE_BYTES } from '../../../lambdas/audit/send-log-line';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { drainErasure, type ErasureDrainDeps } from '../../../lambdas/directory/drain-erased-evidence';
import { erasureDrainRequestFor, type ErasureDrainRequest } from '../../../lambdas/directory/erasure-drain-request';
import { S3EvidenceObjects } from '../../../lambdas/directory/s3-evidence-objects';
import { ImportState } from '../../../lambdas/imports/ports/import-progress';
import type { ImportMessage } from '../../../lambdas/imports/s3-import/import-message';
import { processImportMessage, type ImportDeps } from '../../../lambdas/imports/s3-import/process-import';
import { SEND_LOG_PREFIX } from '../../../lambdas/imports/s3-import/prefixes';
import { sendLogLineHandler } from '../../../lambdas/imports/send-log/send-log-lines';
import { DynamoDbImportProgress } from '../../../lambdas/imports/tables/import-progress';
import { DynamoDbImportedNotices } from '../../../lambdas/imports/tables/imported-notices';
import { uploadImports } from '../../../lambdas/imports/upload-imports';
import { S3ObjectStore } from '../../../lambdas/platform/object-store/s3-object-store';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { provisionNotifyStack } from '../../support/notify-stack';

const ERIN = 'erin@drain-imports.example';
const HOUR = 3_600_000;
const PEOPLE = ['ann', 'bo', 'erin', 'sam', 'tia', 'uma', 'vic'];
const addressOf = (name: string) => (name === 'erin' ? ERIN : `${name}@drain-imports.example`);
const line = (name: string) => JSON.stringify({ source: 'old-crm', sourceNoticeId: `n-${name}`, sentAt: '2026-03-01T10:00:00Z', registryId: 'r-1', purchaseId: `p-${name}`, recipientAddress: addressOf(name) });

/**
 * The erasure drain and a send-log import in flight (issue 16, "erasure means erased" while
 * "nothing lost"): fauxqs's S3 and DynamoDB Local, the stack's import progress and ledger tables,
 * the real import (two lines a chunk) and the real drain (its clock set, its follow-ups taken as
 * it sends them). An upload naming Erin, whose import has not started and then runs, is kept by
 * the drain's passes; once its import is done, the next pass deletes it, and every other
 * person's row is in the ledger. An upload naming her that comes after the drain's last pass is
 * deleted too: its import, once done, asks for the drain.
 */
describe('the erasure drain and an upload still being imported', () => {
  const run = randomUUID().slice(0, 8);
  const bucket = `drain-imports-${run}`;
  const key = `${SEND_LOG_PREFIX}crm-${run}.jsonl`;
  let aws: AwsClients;
  let ledgerTable: string;
  let importDeps: ImportDeps;
  let drainDeps: ErasureDrainDeps;
  let progressReads = 0;
  let clock: Date;
  const continuations: ImportMessage[] = [];
  const followUps: ErasureDrainRequest[] = [];
  const drainRequests: ErasureDrainRequest[] = [];

  const keys = async (): Promise<string[]> => ((await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '').sort();
  const importedIds = async (): Promise<string[]> => {
    const rows = (await aws.documentClient.send(new ScanCommand({ TableName: ledgerTable }))).Items ?? [];
    return rows.map((r) => String(r.noticeId)).filter((id) => id.startsWith('imp#old-crm#')).sort();
  };
  const nextChunk = async () => processImportMessage(continuations.shift()!, importDeps, () => 60_000);

  beforeAll(async () => {
    aws = createAwsClients();
    const { stack, names } = await provisionNotifyStack(`drainimp${run}-`);
    const table = (start: string) => [...stack.resources.values()].find((r) => r.type === 'AWS::DynamoDB::Table' && r.logicalId.startsWith(start))!.outputs.ref;
    ledgerTable = names.ledgerTable;
    const progress = new DynamoDbImportProgress({ client: aws.documentClient, tableName: table('ImportsProgressTable') });
    const counted = { get: (importId: string) => ((progressReads += 1), progress.get(importId)) };
    await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Erin is erased (the directory history's check is test/integration/directory/erasure.test.ts's).
    const erasedRecipients = async (hash: string) => (hash === addressHash(ERIN) ? { customerId: 'c-erin', addressHashes: [hash] } : undefined);
    const store = new DynamoDbImportedNotices({ client: aws.documentClient, ledgerTable, auditTable: table('AuditApologyAuditTable'), retentionDays: 400, erasedRecipients });
    importDeps = {
      objects: new S3ObjectStore({ client: aws.s3 }),
      progress,
      routes: [{ prefix: SEND_LOG_PREFIX, handler: sendLogLineHandler(store, () => new Date()), maxLineBytes: MAX_SEND_LOG_LINE_BYTES }],
      continueLater: async (message) => void continuations.push(message),
      evidenceDrain: { request: async (customerId, addressHashes) => void drainRequests.push(erasureDrainRequestFor(customerId, addressHashes)) },
      now: () => new Date(),
      settings: { concurrency: 2, safetyMs: 1000, maxLinesPerChunk: 2, reportPrefix: 'reports/' },
    };
    clock = new Date();
    drainDeps = {
      queues: [],
      objects: new S3EvidenceObjects({ client: aws.s3, bucket, prefixes: ['directory/', SEND_LOG_PREFIX, 'reports/'] }),
      uploads: uploadImports(counted, bucket, ['directory/', SEND_LOG_PREFIX]),
      safetyMs: 1000,
      followUps: { send: async (request) => void followUps.push(request) },
      // Passes an hour apart for three hours; a follow-up reads what is new since the previous pass (no margin).
      policy: { horizonMs: 3 * HOUR, spacingMs: HOUR, objectMarginMs: 0 },
      now: () => clock,
    };
  });

  afterAll(async () => {
    if (aws) {
      for (const k of await keys().catch(() => [])) await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
      await aws.s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
      aws.destroy();
    }
  });

  it('keeps the upload while its import has not started and while it runs, deletes it on the pass after it is done, and loses none of the other rows', async () => {
    // Prepare: the other system's log, seven rows, Erin's third; its S3 event still on the queue.
    const put = await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${PEOPLE.map(line).join('\n')}\n` }));
    const s3Event: ImportMessage = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key, eTag: put.ETag!.replaceAll('"', '') } } }] };
    const t0 = clock;

    // Act: the first pass, before the import started.
    const first = await drainErasure(erasureDrainRequestFor('c-erin', [addressHash(ERIN)]), drainDeps, () => 60_000);

    // Assess: kept and counted; one lookup, of that upload.
    expect(first).toMatchObject({ kind: 'DRAINED', pass: 'FIRST', objectsRead: 1, objectsRemoved: 0, objectsDeferred: 1 });
    expect(progressReads).toBe(1);
    expect(await keys()).toEqual([key]);

    // Act: the import starts (lines 1-2, Erin's still to come), then the follow-up pass an hour later.
    const started = await processImportMessage(s3Event, importDeps, () => 60_000);
    clock = new Date(t0.getTime() + HOUR);
    const second = await drainErasure(followUps.shift()!, drainDeps, () => 60_000);

    // Assess: the import runs, so the upload is kept again (read again although older than the previous pass).
    expect(started).toMatchObject([{ kind: 'CHUNK', state: ImportState.RUNNING, lines: 2 }]);
    expect(second).toMatchObject({ kind: 'DRAINED', pass: 'FOLLOW_UP', objectsRead: 1, objectsRemoved: 0, objectsDeferred: 1 });
    expect(await keys()).toEqual([key]);

    // Act: the import carries on to its end (its report beside it), then the next follow-up pass.
    const chunks = [];
    while (continuations.length > 0) chunks.push(...(await nextChunk()));
    clock = new Date(t0.getTime() + 2 * HOUR);
    const third = await drainErasure(followUps.shift()!, drainDeps, () => 60_000);

    // Assess: every chunk read the upload; once done, the pass deletes it (the report, which names nobody, stays).
    expect(chunks.map((c) => c.kind === 'CHUNK' && c.state)).toEqual([ImportState.RUNNING, ImportState.RUNNING, ImportState.DONE]);
    expect(third).toMatchObject({ kind: 'DRAINED', pass: 'FOLLOW_UP', objectsRemoved: 1, objectsDeferred: 0 });
    expect(await keys()).toEqual([`reports/${key}.report.json`]);
    expect(await importedIds()).toEqual(PEOPLE.map((name) => `imp#old-crm#n-${name}`).sort());
    expect(progressReads).toBe(3);
    // The next pass reads only what is new again.
    expect(followUps[0]?.followUp).not.toHaveProperty('deferredSince');
  });

  it('deletes an upload naming Erin that comes after the last follow-up pass: its import, once done, asks for the drain, once', async () => {
    // Prepare: another log, Erin twice among four others, long after her erasure's passes ended.
    drainRequests.length = 0;
    const lateKey = `${SEND_LOG_PREFIX}late-${run}.jsonl`;
    const late = ['ann', 'erin', 'bo', 'sam', 'erin', 'tia'].map((name, i) => JSON.stringify({ ...JSON.parse(line(name)), sourceNoticeId: `late-${i}` }));
    const put = await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: lateKey, Body: `${late.join('\n')}\n` }));
    const s3Event: ImportMessage = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: lateKey, eTag: put.ETag!.replaceAll('"', '') } } }] };

    // Act: the import, chunk by chunk to its end; then the drain request it sent, a first pass.
    const first = await processImportMessage(s3Event, importDeps, () => 60_000);
    const whileRunning = drainRequests.length;
    while (continuations.length > 0) await nextChunk();
    const pass = await drainErasure(drainRequests[0]!, drainDeps, () => 60_000);

    // Assess: one request (not one per row, not before the end), the upload gone, its six rows in the ledger, Erin's without her address.
    expect(first).toMatchObject([{ kind: 'CHUNK', state: ImportState.RUNNING }]);
    expect(whileRunning).toBe(0);
    expect(drainRequests).toEqual([erasureDrainRequestFor('c-erin', [addressHash(ERIN)])]);
    expect(pass).toMatchObject({ kind: 'DRAINED', pass: 'FIRST', objectsRemoved: 1, objectsDeferred: 0 });
    expect(await keys()).not.toContain(lateKey);
    const rows = (await aws.documentClient.send(new ScanCommand({ TableName: ledgerTable }))).Items ?? [];
    const lateRows = rows.filter((r) => String(r.noticeId).startsWith('imp#old-crm#late-'));
    expect(lateRows).toHaveLength(6);
    expect(lateRows.filter((r) => r.recipientErased === true).map((r) => r.noticeId).sort()).toEqual(['imp#old-crm#late-1', 'imp#old-crm#late-4']);
    expect(JSON.stringify(lateRows)).not.toContain(ERIN);
  });
});
