import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main as cli } from '../../cli/main';
import { addressHash } from '../../lambdas/directory/address-hash';
import { pendingStateFor } from '../../lambdas/notices/ledger-table/audit-shards';
import { seedTablesOf, writeSeed } from '../../cli/seed/write-seed';
import { parseSeed } from '../../cli/seed/seed-file';
import { scheduledFunctionRun } from '../../cli/demo/history-scenario';
import { playScenario, type ScenarioResult } from '../../cli/demo/play-scenario';
import { type BatchReport, emulatorEnv, LOCAL_AWS_REGION, type LocalStack, RestartableSes, startLocalStack } from '@registry-notices/local-stack';
import { customerUpsertedFactory } from '../helpers/factories';
import { createAwsClients } from '../support/aws-clients';
import { writeTestStackState } from '../support/local-stack-state';
import { bundledAssembly } from '../support/bundled-stack';
import { Mailbox } from '../support/mailbox';
import { testTempDir } from '../support/temp-dir';

/**
 * The system as `npm start` runs it: the CDK app synthesized, provisioned from its template
 * into the emulators, the notify function run from its cdk.out bundle with Lambda's SQS
 * semantics, and the demo scenario of cli/demo played through it.
 */

const REDELIVERED_EVENT = `redelivery-${randomUUID().slice(0, 8)}`;
const aws = createAwsClients();
let ses: RestartableSes;
let mailbox: Mailbox;
const reports: BatchReport[] = [];
let local: LocalStack;
let scenario: ScenarioResult;
let redeliveredMessageId: string | undefined;

beforeAll(async () => {
  // An SES emulator of its own: the demo's expectations count every email in the mailbox, so
  // another file's emails (this file runs beside the others) must not be in it.
  ses = await RestartableSes.start();
  mailbox = new Mailbox(ses.url);
  const endpoints = { ...inject('emulatorEndpoints'), ses: ses.url };
  // The run's bundled assembly of the default context, as `cdk synth` writes it (npm-start.test runs `cdk synth` itself).
  const cloudAssembly = await bundledAssembly({});
  local = await startLocalStack({
    cloudAssembly,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    namePrefix: `t${randomUUID().slice(0, 6)}-`,
    observer: (report) => reports.push(report),
    // Each function as its own role: what the template does not grant is refused (docs/local-stack.md).
    enforcePolicies: true,
    faults: {
      // As if the poller crashed after the handler succeeded but before DeleteMessage: SQS delivers it again.
      loseDelete: (record) => {
        if (!record.body.includes(REDELIVERED_EVENT)) return false;
        redeliveredMessageId = record.messageId;
        return record.attributes.ApproximateReceiveCount === '1';
      },
    },
  });
  scenario = await playScenario({
    documentClient: aws.documentClient,
    sqs: aws.sqs,
    kms: aws.kms,
    sesEndpoint: endpoints.ses,
    outputs: local.outputs.values,
    runAudit: scheduledFunctionRun(local.functions),
  });
}, 180_000);

afterAll(async () => {
  await local?.stop();
  await ses?.stop();
  aws.destroy();
});

describe('npm start’s local stack, playing the demo scenario', () => {
  it('runs what the template deploys: the notify function fed by the purchase queue, the row-audit worker by the audit queue, the feedback function by the SES events queue, the apology sender by the apology queue', () => {
    const out = local.outputs.values;
    const fedBy = (queueUrl: string | undefined) => local.functions.mappings.find((m) => m.settings.queueUrl === queueUrl);
    expect(local.functions.mappings.map((m) => m.settings.queueUrl).sort()).toEqual(
      [out.PurchaseQueueUrl, out.DirectoryQueueUrl, out.ImportQueueUrl, out.AuditQueueUrl, out.FeedbackQueueUrl, out.ApologyQueueUrl, out.ErasureDrainQueueUrl].sort(),
    );
    expect(fedBy(out.PurchaseQueueUrl)?.settings).toMatchObject({ batchSize: 10, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true });
    expect(fedBy(out.AuditQueueUrl)?.settings).toMatchObject({ batchSize: 1, maximumConcurrency: 17, reportBatchItemFailures: true });
    expect(fedBy(out.FeedbackQueueUrl)?.functionLogicalId).toMatch(/^FeedbackConsumerFeedbackFunction/);
    expect(local.mailEvents.destinations).toHaveLength(1);
    expect(fedBy(out.ApologyQueueUrl)?.settings).toMatchObject({ batchSize: 10, reportBatchItemFailures: true });
  });

  it('meets every expectation of cli/demo/expectations.json', () => {
    const failed = scenario.checks.filter((check) => !check.ok).map((check) => `${check.what} — found ${check.found}`);
    expect(scenario.timedOut).toBe(false);
    expect(failed).toEqual([]);
  });

  it('mails the right notices to the owners, in their language', async () => {
    const [anna] = await mailbox.to('anna.berger@example.com');
    const [jonas] = await mailbox.to('jonas.keller@example.de');
    expect(anna?.from).toContain('gifts@notices.example.com');
    expect(anna?.text ?? anna?.html).toContain('Lightweight stroller');
    expect(jonas?.subject).not.toBe(anna?.subject);
  });

  it('sends nothing for the guarded purchases, and nothing to the customer who has no registry', async () => {
    for (const address of ['mia.thompson@example.com', 'lena.vogel@example.de', 'ole.hansen@example.de', 'kim.parker@example.com', 'sam.reed@example.com']) {
      expect(await mailbox.to(address), address).toEqual([]);
    }
    expect(scenario.summary.blockedByReason).toMatchObject({ NOTIFICATIONS_OFF: 1, REGISTRY_NOT_ACTIVE: 1, RECIPIENT_MISMATCH: 1 });
  });

  it('quarantines the bad input instead of retrying it', () => {
    expect(scenario.summary.quarantined).toBe(3);
    expect(scenario.summary.deadLettered).toBe(0);
  });
});

describe('a redelivered purchase message', () => {
  it('sends one email, however often SQS delivers it', async () => {
    // Prepare
    await writeSeed(
      aws.documentClient,
      seedTablesOf((key) => local.outputs.values[key] ?? ''),
      parseSeed(
        {
          customers: [{ customerId: 'c-redelivery', email: 'redelivery.owner@example.com' }],
          registries: [{ registryId: 'r-redelivery', ownerCustomerId: 'c-redelivery', title: 'Redelivery', items: [{ itemId: 'i-1', title: 'Rattle' }] }],
        },
        'inline',
      ),
    );
    const event = {
      schemaVersion: 1,
      eventId: REDELIVERED_EVENT,
      purchaseId: REDELIVERED_EVENT,
      registryId: 'r-redelivery',
      item: { itemId: 'i-1', title: 'Rattle', quantity: 1 },
      purchasedAt: new Date().toISOString(),
    };
    const file = path.join(testTempDir('events-'), 'event.json');
    writeFileSync(file, JSON.stringify(event));
    const stateFile = writeTestStackState(local.outputs.values, local.stack.stackName, path.dirname(file));

    // Act: the project's CLI, as a user would send it.
    const printed: string[] = [];
    expect(await cli(['send', file, '--state', stateFile], (line) => printed.push(line))).toBe(0);

    // Assess: processed twice (the first delete was lost), mailed once.
    const processed = (): number => reports.filter((report) => redeliveredMessageId !== undefined && report.messageIds.includes(redeliveredMessageId)).length;
    const deadline = Date.now() + 25_000;
    while (processed() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processed()).toBe(2);
    expect(await mailbox.to('redelivery.owner@example.com')).toHaveLength(1);
    expect(printed.join('\n')).toContain('aws sqs send-message');
  }, 40_000);
});

describe('the directory feed and the S3 import, as deployed', () => {
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const customerRow = (customerId: string) =>
    aws.documentClient.send(new GetCommand({ TableName: local.outputs.values.CustomersTableName, Key: { customerId } })).then((o) => o.Item);

  it('applies a directory event sent to the directory queue, and quarantines an invalid one naming field and rule', async () => {
    // Prepare
    const customerId = `c-feed-${randomUUID().slice(0, 8)}`;
    const event = customerUpsertedFactory({ customerId, email: 'feed.customer@example.com', effectiveAt: new Date(Date.now() - 60_000).toISOString() });
    const queueUrl = local.outputs.values.DirectoryQueueUrl!;

    // Act
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ ...event, eventId: `${event.eventId}-bad`, email: 'a@x.example, evil@evil.example' }) }));

    // Assess
    expect(await until(() => customerRow(customerId), (row) => row !== undefined)).toMatchObject({ email: 'feed.customer@example.com', locale: 'en' });
    const quarantined = await until(
      async () => (await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: local.outputs.values.DirectoryQuarantineQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [],
      (messages) => messages.length > 0,
    );
    expect(JSON.parse(quarantined[0]!.Body ?? '{}')).toMatchObject({
      issues: [{ field: 'email', rule: 'must be one plain email address (no name, no list, no spaces)' }],
    });
  });

  it('imports a snapshot uploaded under directory/ and writes the report beside it, refusals with line, field and rule', async () => {
    // Prepare
    const bucket = local.outputs.values.ImportBucketName!;
    const ids = [0, 1, 2].map((i) => `c-snap-${randomUUID().slice(0, 6)}-${i}`);
    const lines = [
      JSON.stringify(customerUpsertedFactory({ customerId: ids[0], email: 'snap.zero@example.com' })),
      '',
      JSON.stringify({ ...customerUpsertedFactory({ customerId: ids[1] }), locale: 'klingon please' }),
      JSON.stringify(customerUpsertedFactory({ customerId: ids[2], email: 'snap.two@example.com' })),
    ];
    const key = `directory/snapshot-${randomUUID().slice(0, 8)}.jsonl`;

    // Act
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${lines.join('\n')}\n` }));

    // Assess
    const report = await until(
      async () => {
        try {
          const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `reports/${key}.report.json` }));
          return JSON.parse(await object.Body!.transformToString()) as { state: string; report: Record<string, unknown> };
        } catch {
          return undefined;
        }
      },
      (r) => r !== undefined,
      45_000,
    );
    expect(report).toMatchObject({
      state: 'DONE',
      report: { lines: 3, applied: 2, unchanged: 0, refused: 1, issues: [{ line: 3, field: 'locale', rule: 'must be a language tag like en or de-AT' }] },
    });
    expect(await customerRow(ids[2]!)).toMatchObject({ email: 'snap.two@example.com' });
    expect(await customerRow(ids[1]!)).toBeUndefined();
  }, 60_000);

  it('imports a send log with import --s3: uploaded under send-logs/, imported by the import function, the same per-line report, the rows pending audit', async () => {
    // Prepare
    const source = `s3-log-${randomUUID().slice(0, 6)}`;
    const notice = (sourceNoticeId: string, fields: Record<string, unknown> = {}) =>
      JSON.stringify({ source, sourceNoticeId, sentAt: '2025-03-01T09:00:00Z', recipientAddress: `${sourceNoticeId}@s3-log.example.com`, registryId: 'r-s3', purchaseId: `p-${sourceNoticeId}`, template: 'gift-bought', ...fields });
    const file = path.join(testTempDir('send-log-'), 'legacy log.jsonl');
    writeFileSync(file, `${[notice('n-1'), '', notice('n-2', { sentAt: '2025-03-01 09:00' }), notice('n-3')].join('\n')}\n`);
    const stateFile = writeTestStackState(local.outputs.values, local.stack.stackName, path.dirname(file));
    const importIt = async (): Promise<string[]> => {
      const printed: string[] = [];
      expect(await cli(['import', file, '--s3', '--state', stateFile], (line) => printed.push(line))).toBe(0);
      return printed;
    };

    // Act
    const first = await importIt();
    const again = await importIt();

    // Assess
    expect(first).toContain('  line 3: sentAt must be an RFC 3339 date-time with a time zone');
    expect(first.find((line) => line.startsWith('Imported '))).toMatch(/through the import bucket of the local stack .*\(send-logs\/.*legacy_log\.jsonl\): 3 lines, 2 accepted, 0 already imported, 1 refused\.$/);
    expect(again.find((line) => line.startsWith('Imported '))).toMatch(/: 3 lines, 0 accepted, 2 already imported, 1 refused\.$/);
    const row = await aws.documentClient.send(new GetCommand({ TableName: local.outputs.values.LedgerTableName, Key: { noticeId: `imp#${source}#n-3` } }));
    const address = 'n-3@s3-log.example.com';
    expect(row.Item).toMatchObject({ outcome: 'SENT', sender: `import:${source}`, recipientAddressHash: addressHash(address), auditState: pendingStateFor(addressHash(address)) });
    const refused = await aws.documentClient.send(new GetCommand({ TableName: local.outputs.values.LedgerTableName, Key: { noticeId: `imp#${source}#n-2` } }));
    expect(refused.Item).toBeUndefined();
  }, 120_000);

  it('runs every function as its own role: the demo and every call above needed nothing the template does not grant', () => {
    // The local IAM gate refuses what a role's policies do not allow (docs/local-stack.md, "IAM").
    expect(local.functions.accessRefusals()).toEqual([]);
  });
});
