import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { seedTablesOf, writeSeed } from '../../cli/seed/write-seed';
import { sendPurchaseEvents } from '../../cli/send/send-purchase-events';
import { DynamoDbNoticeLedger } from '../../lambdas/notices/ledger-table/notice-ledger';
import { addressHash } from '../../lambdas/directory/address-hash';
import type { LocalStack } from '@registry-notices/local-stack';
import { purchaseMessageFactory } from '../helpers/factories';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { startBundledStack } from '../support/bundled-stack';
import { OPERATOR_STACK_CONTEXT } from '../support/operator-endpoint';
import { writeTestStackState } from '../support/local-stack-state';
import { Mailbox } from '../support/mailbox';

const OWNER = 'cli-owner@notice-cli.example.com';
const BOUNCING = 'bounce+notice-cli@simulator.amazonses.com';

/**
 * The notice commands on the command line, end to end: the CLI signs its requests to the
 * local stack's operator endpoint (a function URL served from the synthesized template);
 * the notify, feedback and operator functions run from their bundles; the SES emulator's
 * mail comes back as SES events through the configuration set's topic and queue.
 */
describe('notice show, uncertain, resolve and dlq redrive on the command line', () => {
  let clients: AwsClients;
  let local: LocalStack;
  let stateFile: string;
  const mailbox = new Mailbox();
  const lines: string[] = [];
  const errors: string[] = [];
  /** Runs `command` (its words, e.g. 'notice show') with `argv`, as alice (or `as`); its exit code and printed lines. */
  const cli = async (command: string, ...argv: string[]) => cliAs('alice', command, ...argv);
  const cliAs = async (as: string, command: string, ...argv: string[]) => {
    lines.length = 0;
    errors.length = 0;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: as, AWS_SECRET_ACCESS_KEY: as };
    const code = await main([...command.split(' '), ...argv, '--state', stateFile], (l) => lines.push(l), { error: (l) => errors.push(l), env, out: { isTTY: false, write: () => undefined } });
    return { code, text: lines.join('\n') };
  };
  const out = (key: string) => local.outputs.values[key]!;
  const row = async (noticeId: string) =>
    (await clients.documentClient.send(new GetCommand({ TableName: out('LedgerTableName'), Key: { noticeId }, ConsistentRead: true }))).Item;
  /** Waits (bounded) until the row satisfies `done`. */
  const rowWhen = async (noticeId: string, done: (item: Record<string, unknown> | undefined) => boolean) => {
    for (let i = 0; i < 150; i += 1) {
      const item = await row(noticeId);
      if (done(item)) return item;
      await sleep(200);
    }
    throw new Error(`${noticeId} never got there: ${JSON.stringify(await row(noticeId))}`);
  };
  const purchase = (registryId: string, title: string) => purchaseMessageFactory({ registryId, item: { itemId: 'i-1', title, quantity: 1 } });

  beforeAll(async () => {
    ({ local } = await startBundledStack({ prefix: 'ncli', context: OPERATOR_STACK_CONTEXT }));
    stateFile = writeTestStackState(local.outputs.values, local.stack.stackName);
    clients = createAwsClients();
    await writeSeed(
      clients.documentClient,
      seedTablesOf(out),
      {
        customers: [
          { customerId: 'c-owner', email: OWNER, locale: 'en', firstName: 'Olive', notificationsOptOut: false },
          { customerId: 'c-bounce', email: BOUNCING, locale: 'en', firstName: 'Bo', notificationsOptOut: false },
        ],
        registries: [
          { registryId: 'r-owner', ownerCustomerId: 'c-owner', title: 'Olive', status: 'ACTIVE', purchaseNotifications: true, items: [{ itemId: 'i-1', title: 'Item' }] },
          { registryId: 'r-bounce', ownerCustomerId: 'c-bounce', title: 'Bo', status: 'ACTIVE', purchaseNotifications: true, items: [{ itemId: 'i-1', title: 'Item' }] },
        ],
        suppressions: [],
      },
    );
  }, 180_000);

  /** What the audit table records of `notice show --reveal`. */
  const reveals = async (): Promise<Record<string, unknown>[]> => {
    const { Items = [] } = await clients.documentClient.send(
      new QueryCommand({ TableName: out('AuditTableName'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'REVEALS' }, ConsistentRead: true }),
    );
    return Items;
  };

  afterAll(async () => {
    await local?.stop();
    clients?.destroy();
  });

  it('tells a bounced notice\'s story by address, masked: sent, then SES\'s bounce, the address suppressed', async () => {
    // Prepare
    const message = purchase('r-bounce', 'Bounced gift');
    await sendPurchaseEvents(clients.sqs, out('PurchaseQueueUrl'), [JSON.stringify(message)]);
    await rowWhen(`evt#${message.eventId}`, (item) => (item?.sesEvents as Record<string, unknown> | undefined)?.Bounce !== undefined);

    // Act
    const shown = await cli('notice show', BOUNCING);
    const revealsBefore = await reveals();
    const noReason = await cli('notice show', BOUNCING, '--reveal');
    const noReasonErrors = [...errors];
    const byBob = await cliAs('bob', 'notice show', BOUNCING, '--reveal', '--reason', 'just looking');
    const byBobErrors = [...errors];
    const revealsBetween = await reveals();
    const again = await cli('notice show', BOUNCING, '--reveal', '--reason', 'owner asked which address bounced (ticket 4711)');
    const revealsAfter = await reveals();

    // Assess
    expect(shown.code).toBe(0);
    expect(shown.text).toContain(`notice evt#${message.eventId}`);
    expect(shown.text).toContain('the guards passed; owner c-bounce, to b***@simulator.amazonses.com');
    expect(shown.text).toMatch(/SES {9}BOUNCED: Send .*; Bounce .*\(Permanent General 5\.1\.1\)/);
    expect(shown.text).not.toContain(BOUNCING);
    // --reveal without --reason: a usage error, before any request; bob may call the endpoint but not reveal.
    expect(noReason.code).toBe(2);
    expect(noReasonErrors.join('\n')).toContain('notice show --reveal needs --reason <text>');
    expect(byBob.code).toBe(1);
    expect(byBobErrors.join('\n')).toMatch(/NOT_A_REVEALER: .*operatorRevealerRoles \(user\/alice\)/);
    expect(`${byBob.text}${byBobErrors.join('')}`).not.toContain(BOUNCING);
    expect(again.code).toBe(0);
    expect(again.text).toContain(`to ${BOUNCING}`);
    // The reveal, and only it, is recorded in the audit table: who (the signer), why, when, which notice; never the address.
    const ofThisNotice = (items: Record<string, unknown>[]) => items.filter((r) => (r.noticeIds as string[]).includes(`evt#${message.eventId}`));
    expect(ofThisNotice(revealsBefore)).toEqual([]);
    expect(ofThisNotice(revealsBetween)).toEqual([]);
    const recorded = ofThisNotice(revealsAfter);
    expect(recorded).toEqual([
      expect.objectContaining({
        by: expect.stringMatching(/:user\/alice$/),
        reason: 'owner asked which address bounced (ticket 4711)',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        noticeIds: [`evt#${message.eventId}`],
      }),
    ]);
    expect(JSON.stringify(recorded)).not.toContain(BOUNCING);
    const suppressed = await clients.documentClient.send(new GetCommand({ TableName: out('SuppressionsTableName'), Key: { emailHash: addressHash(BOUNCING) } }));
    expect(suppressed.Item).toMatchObject({ reason: 'BOUNCE', source: 'SES_EVENT', bounceType: 'Permanent' });
  });

  it('lists a notice in doubt, re-sends it once on resolve, recording who approved it', { timeout: 60_000 }, async () => {
    // Prepare: a notice whose send was in doubt 20 minutes ago, its message kept.
    const message = purchase('r-owner', 'Doubtful gift');
    const noticeId = `evt#${message.eventId}`;
    const ledger = new DynamoDbNoticeLedger({ client: clients.documentClient, tableName: out('LedgerTableName'), retentionDays: 30 });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await ledger.claim({
      noticeId,
      eventId: message.eventId,
      registryId: 'r-owner',
      recipientCustomerId: 'c-owner',
      recipientAddress: OWNER,
      recipientAddressHash: addressHash(OWNER),
      outcome: 'SENDING',
      decidedAt: ago(21),
      sender: 'registry-notices',
    });
    await ledger.markUncertain(noticeId, ago(20), { reason: 'SES_OUTCOME_UNKNOWN', purchaseMessage: JSON.stringify(message) });

    // Act
    const uncertain = await cli('notice uncertain');
    const resolved = await cli('notice resolve', noticeId);
    await rowWhen(noticeId, (item) => item?.outcome === 'SENT');
    const resolvedAgain = await cli('notice resolve', noticeId);
    const shown = await cli('notice show', message.eventId);

    // Assess
    expect(uncertain.text).toMatch(new RegExp(`notice +${noticeId} +in doubt 2\\d min .*SES_OUTCOME_UNKNOWN +no SES event +to c\\*\\*\\*@notice-cli\\.example\\.com +→ may be resolved`));
    expect(resolved).toEqual({ code: 0, text: `notice   ${noticeId}  QUEUED` });
    expect(await mailbox.list({ to: OWNER, containing: 'Doubtful gift' })).toHaveLength(1);
    expect(resolvedAgain.code).toBe(1);
    expect(resolvedAgain.text).toContain('ALREADY_RESENT');
    expect(shown.text).toContain("(an operator's re-send)");
    expect(shown.text).toMatch(/re-send {5}\S+ +approved by arn:aws:iam::000000000000:user\/alice: SENT, SES message \S+/);
  });

  it('moves dead-lettered purchases back with a count, and they are then decided', async () => {
    // Prepare
    const messages = [purchase('r-owner', 'Redriven one'), purchase('r-owner', 'Redriven two')];
    for (const m of messages) await clients.sqs.send(new SendMessageCommand({ QueueUrl: out('DeadLetterQueueUrl'), MessageBody: JSON.stringify(m) }));

    // Act
    const redriven = await cli('dlq redrive');

    // Assess
    expect(redriven.code).toBe(0);
    expect(redriven.text).toMatch(/^Moved 2 purchase message\(s\) back from the DLQ in the local stack/);
    for (const m of messages) expect(await rowWhen(`evt#${m.eventId}`, (item) => item?.outcome === 'SENT')).toMatchObject({ outcome: 'SENT' });
  });

  it('says so when nothing is found, and refuses a query that names nothing', async () => {
    // Act
    const none = await cli('notice show', 'no-such-event');
    errors.length = 0;
    const bad = await cli('notice show', 'not an id!');

    // Assess
    expect(none.code).toBe(1);
    expect(none.text).toContain('No notice found');
    expect(bad.code).toBe(1);
    expect(errors.join('\n')).toContain('is not an event id, a notice id');
  });
});
