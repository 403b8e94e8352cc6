import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

const ADDRESS = 'owner@round-trips.example.com';
const WORLD = {
  registries: [{ registryId: 'reg-rt', ownerCustomerId: 'cus-rt', status: 'ACTIVE', purchaseNotifications: true, title: 'Ours', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-rt', email: ADDRESS, locale: 'en', firstName: 'Robin', notificationsOptOut: false }],
};

/**
 * Every HTTP request the handler's DynamoDB and SES clients put on the wire, counted by an
 * SDK middleware in the `deserialize` step (inside the retry loop: one entry per attempt),
 * with the table it went to, into `log` (the KMS proxy below writes into the same log).
 */
function countRequests(clients: { dynamoDb: DynamoDBClient; sesV2: SESv2Client }, log: string[]): { log: string[]; remove(): void } {
  const name = 'countRequests';
  // One middleware for both clients; it reads only the command's name and table names.
  const stacks = [clients.dynamoDb, clients.sesV2].map((client) => client.middlewareStack as DynamoDBClient['middlewareStack']);
  for (const stack of stacks) {
    stack.add(
      (next, context) => async (args) => {
        const input = args.input as {
          TableName?: string;
          RequestItems?: Record<string, unknown>;
          TransactItems?: Record<string, { TableName?: string }>[];
        };
        const transacted = [...new Set((input.TransactItems ?? []).flatMap((t) => Object.values(t).map((op) => op.TableName)))];
        const table = input.TableName ?? (transacted.join(',') || Object.keys(input.RequestItems ?? {}).join(','));
        log.push(`${(context.commandName ?? '?').replace(/Command$/, '')}${table ? ` ${table}` : ''}`);
        return next(args);
      },
      { step: 'deserialize', name },
    );
  }
  return {
    log,
    remove: () => {
      for (const stack of stacks) stack.remove(name);
    },
  };
}

/**
 * A pass-through HTTP proxy in front of an emulator that tells each AWS JSON operation it
 * forwards (`GetParameter`, `GenerateMac`): the kill switch and the link MAC go through the
 * SDK's signer and HTTP handler, not an SDK client with a middleware stack, so their requests
 * are counted on the wire.
 */
async function operationsProxy(target: string, seen: (operation: string) => void): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const operation = /\.(\w+)$/.exec(String(incoming.headers['x-amz-target']))?.[1];
    if (operation) seen(operation);
    const forward = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('notify round trips (SDK requests counted against DynamoDB Local and the SES emulator)', () => {
  let notify: NotifyHandlerHarness;
  let requests: ReturnType<typeof countRequests>;
  let ssm: Awaited<ReturnType<typeof operationsProxy>>;
  let kms: Awaited<ReturnType<typeof operationsProxy>>;
  let ssmReads = 0;
  const log: string[] = [];

  const invoke = (...records: SQSRecord[]) => notify.invoke(...records);
  const notice = (title: string) => sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-rt', item: { itemId: 'item-1', title, quantity: 1 } }));

  beforeAll(async () => {
    ssm = await operationsProxy(inject('emulatorEndpoints').ssm, (operation) => {
      if (operation === 'GetParameter') ssmReads += 1;
    });
    kms = await operationsProxy(inject('emulatorEndpoints').kms, (operation) => log.push(operation));
    // The handler's kill switch goes through the proxy.
    notify = await startNotifyHandler(`rt${Date.now().toString(36)}`, WORLD, {
      KILL_SWITCH_CACHE_SECONDS: '3600',
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_ENDPOINT_URL_KMS: kms.url,
    });
    requests = countRequests(
      {
        dynamoDb: (await import('../../lambdas/commons/clients/dynamodb')).dynamoDb,
        sesV2: (await import('../../lambdas/commons/clients/ses')).sesV2,
      },
      log,
    );
  });

  afterAll(() => {
    requests?.remove();
    ssm?.server.close();
    kms?.server.close();
    notify?.close();
  });

  beforeEach(() => {
    requests.log.length = 0;
  });

  // First in the file: the handler was just imported, so the kill switch has no value yet, as
  // after its cache expired (the cache period is an hour here, so nothing expires mid-test).
  it('reads the kill switch once for a batch of 10 records when it has no fresh value, then not again', async () => {
    // Act
    const first = await invoke(...Array.from({ length: 10 }, (_, i) => notice(`Batch ${i}`)));
    const afterFirst = ssmReads;
    const second = await invoke(...Array.from({ length: 10 }, (_, i) => notice(`Again ${i}`)));

    // Assess
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(afterFirst).toBe(1);
    expect(ssmReads).toBe(1);
    expect(requests.log.filter((r) => r === 'SendEmail')).toHaveLength(20);
  });

  it('sends a notice in 7 round trips: registry and item in one batch read, owner, suppression and unsubscribes in one batch read, link MAC, claim, SES, SENT', async () => {
    // Act
    const response = await invoke(notice('Seven'));

    // Assess: one request after another, none read the ledger.
    const { registriesTable, customersTable, suppressionsTable, unsubscribesTable, ledgerTable } = notify.provisioned.names;
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.log).toEqual([
      `BatchGetItem ${registriesTable}`,
      `GetItem ${customersTable}`,
      `BatchGetItem ${suppressionsTable},${unsubscribesTable}`,
      'GenerateMac',
      `TransactWriteItems ${ledgerTable}`,
      'SendEmail',
      `UpdateItem ${ledgerTable}`,
    ]);
  });

  it('blocks the same purchase and item under another event id in 6 round trips, without SES: the claim tells which row it found', async () => {
    // Prepare
    const first = purchaseMessageFactory({ registryId: 'reg-rt', item: { itemId: 'item-1', title: 'Once', quantity: 1 } });
    await invoke(sqsRecordFactory(first));
    requests.log.length = 0;

    // Act
    const response = await invoke(sqsRecordFactory({ ...first, eventId: `${first.eventId}-b` }));

    // Assess
    const { registriesTable, customersTable, suppressionsTable, unsubscribesTable, ledgerTable } = notify.provisioned.names;
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.log).toEqual([
      `BatchGetItem ${registriesTable}`,
      `GetItem ${customersTable}`,
      `BatchGetItem ${suppressionsTable},${unsubscribesTable}`,
      'GenerateMac',
      `TransactWriteItems ${ledgerTable}`,
      `PutItem ${ledgerTable}`,
    ]);
  });

  it('deletes the second copy of an event in one batch as a duplicate, without a request of its own', async () => {
    // Prepare
    const record = notice('Twice');

    const copy = { ...record, messageId: `${record.messageId}-copy` };

    // Act
    const response = await invoke(record, copy);

    // Assess: deleted (no batch item failure), one notice's 7 requests.
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.log).toHaveLength(7);
    const logged = notify
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string; messageId?: string });
    expect(logged).toContainEqual(expect.objectContaining({ message: 'purchase event already decided', messageId: copy.messageId }));
  });
});
