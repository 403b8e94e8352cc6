import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main as cli } from '../../cli/main';
import { seedTablesOf, writeSeed } from '../../cli/seed/write-seed';
import { parseSeed } from '../../cli/seed/seed-file';
import { playScenario, type ScenarioResult } from '../../local/demo/play-scenario';
import { emulatorEnv, LOCAL_AWS_REGION } from '../../local/emulators';
import { synthesize } from '../../local/stack/assembly/synthesize';
import type { BatchReport } from '../../local/stack/lambda/sqs-event-source';
import { startLocalStack, type LocalStack } from '../../local/stack/local-stack';
import { createAwsClients } from '../support/aws-clients';
import { writeTestStackState } from '../support/local-stack-state';
import { Mailbox } from '../support/mailbox';

/**
 * The system as `npm start` runs it: the CDK app synthesized, provisioned from its template
 * into the emulators, the notify function run from its cdk.out bundle with Lambda's SQS
 * semantics, and the demo scenario of local/demo played through it.
 */

const REDELIVERED_EVENT = `redelivery-${randomUUID().slice(0, 8)}`;
const aws = createAwsClients();
const mailbox = new Mailbox();
const reports: BatchReport[] = [];
let local: LocalStack;
let scenario: ScenarioResult;
let redeliveredMessageId: string | undefined;

beforeAll(async () => {
  const endpoints = inject('emulatorEndpoints');
  const cloudAssembly = await synthesize({ outdir: mkdtempSync(path.join(tmpdir(), 'local-stack-cdk-out-')) });
  local = await startLocalStack({
    cloudAssembly,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    namePrefix: `t${randomUUID().slice(0, 6)}-`,
    observer: (report) => reports.push(report),
    faults: {
      // As if the poller crashed after the handler succeeded but before DeleteMessage: SQS delivers it again.
      loseDelete: (record) => {
        if (!record.body.includes(REDELIVERED_EVENT)) return false;
        redeliveredMessageId = record.messageId;
        return record.attributes.ApproximateReceiveCount === '1';
      },
    },
  });
  await mailbox.clear();
  scenario = await playScenario({
    documentClient: aws.documentClient,
    sqs: aws.sqs,
    sesEndpoint: endpoints.ses,
    outputs: local.outputs.values,
  });
}, 180_000);

afterAll(async () => {
  await local?.stop();
  aws.destroy();
});

describe('npm start’s local stack, playing the demo scenario', () => {
  it('runs what the template deploys: the notify function from its bundle, fed by the purchase queue', () => {
    expect(local.functions.mappings).toHaveLength(1);
    expect(local.functions.mappings[0]?.settings).toMatchObject({ batchSize: 10, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true });
    expect(local.outputs.values.PurchaseQueueUrl).toBe(local.functions.mappings[0]?.settings.queueUrl);
  });

  it('meets every expectation of local/demo/expectations.json', () => {
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
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'events-')), 'event.json');
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
