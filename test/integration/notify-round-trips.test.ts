import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

const ADDRESS = 'owner@round-trips.example.com';
const WORLD = {
  registries: [{ registryId: 'reg-rt', ownerCustomerId: 'cus-rt', status: 'ACTIVE', purchaseNotifications: true, title: 'Ours', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-rt', email: ADDRESS, locale: 'en', firstName: 'Robin', notificationsOptOut: false }],
};

/** Every request the handler made to DynamoDB, SES, KMS and SSM, in the order each started, and how they overlapped. */
interface RequestLog {
  /** `<Operation>[ <tables>]`, one per attempt, in the order they started. */
  readonly log: string[];
  /**
   * The requests grouped into sequential round trips: a request joins the round of one still
   * in flight when it starts, else opens the next round.
   */
  readonly rounds: string[][];
  clear(): void;
  remove(): void;
}

/** An SDK client, as far as counting its requests goes. */
interface CountedClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly middlewareStack: MiddlewareStack<any, any>;
}

/**
 * Counts the handler's requests on the SDK clients it sends them with (DynamoDB, SES, KMS, SSM:
 * the function's module-scope clients), by an SDK middleware in the `deserialize` step (inside
 * the retry loop: one entry per attempt). Start and end of each are noted, so requests made
 * side by side count as one round trip.
 */
function countRequests(clients: readonly CountedClient[]): RequestLog {
  const log: string[] = [];
  const rounds: string[][] = [];
  let inFlight = 0;
  const started = (entry: string) => {
    log.push(entry);
    if (inFlight === 0) rounds.push([]);
    rounds.at(-1)!.push(entry);
    inFlight += 1;
  };
  const ended = () => {
    inFlight -= 1;
  };
  const name = 'countRequests';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const counting: DeserializeMiddleware<any, any> = (next, context) => async (args) => {
    const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown>; TransactItems?: Record<string, { TableName?: string }>[] };
    const transacted = [...new Set((input.TransactItems ?? []).flatMap((t) => Object.values(t).map((op) => op.TableName)))];
    const table = input.TableName ?? (transacted.join(',') || Object.keys(input.RequestItems ?? {}).join(','));
    started(`${(context.commandName ?? '?').replace(/Command$/, '')}${table ? ` ${table}` : ''}`);
    try {
      return await next(args);
    } finally {
      ended();
    }
  };
  for (const client of clients) client.middlewareStack.add(counting, { step: 'deserialize', name });
  return {
    log,
    rounds,
    clear: () => {
      log.length = 0;
      rounds.length = 0;
    },
    remove: () => {
      for (const client of clients) client.middlewareStack.remove(name);
    },
  };
}

describe('notify round trips (requests counted against DynamoDB Local, the SES, KMS and SSM emulators)', () => {
  let notify: NotifyHandlerHarness;
  let requests: RequestLog;

  const invoke = (...records: SQSRecord[]) => notify.invoke(...records);
  const notice = (title: string) => sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-rt', item: { itemId: 'item-1', title, quantity: 1 } }));
  const ssmReads = () => requests.log.filter((r) => r === 'GetParameter').length;
  /**
   * The first four round trips of every notice, each round sorted: the registry and its item in
   * one batch read, the owner, its suppression and unsubscribes beside the link MAC, the claim.
   */
  const readsAndClaim = (): string[][] => {
    const { registriesTable, customersTable, suppressionsTable, unsubscribesTable, ledgerTable } = notify.provisioned.names;
    return [
      [`BatchGetItem ${registriesTable}`],
      [`GetItem ${customersTable}`],
      [`BatchGetItem ${suppressionsTable},${unsubscribesTable}`, 'GenerateMac'].toSorted(),
      // The claim also checks, in the same transaction, that the owner's customer row is not erased (docs/data-model.md, "Erasure").
      [`TransactWriteItems ${ledgerTable},${customersTable}`],
    ];
  };

  beforeAll(async () => {
    notify = await startNotifyHandler(`rt${Date.now().toString(36)}`, WORLD, { KILL_SWITCH_CACHE_SECONDS: '3600' });
    requests = countRequests([
      (await import('../../lambdas/platform/clients/dynamodb')).dynamoDb,
      (await import('../../lambdas/platform/clients/ses')).sesV2,
      (await import('../../lambdas/platform/clients/kms')).kms,
      (await import('../../lambdas/platform/clients/ssm')).ssm,
    ]);
  });

  afterAll(() => {
    requests?.remove();
    notify?.close();
  });

  beforeEach(() => {
    requests.clear();
  });

  // First in the file: the handler was just imported, so the kill switch has no value yet, as
  // after its cache expired (the cache period is an hour here, so nothing expires mid-test).
  it('reads the kill switch once for a batch of 10 records when it has no fresh value, then not again', async () => {
    // Act
    const first = await invoke(...Array.from({ length: 10 }, (_, i) => notice(`Batch ${i}`)));
    const afterFirst = ssmReads();
    const second = await invoke(...Array.from({ length: 10 }, (_, i) => notice(`Again ${i}`)));

    // Assess
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(afterFirst).toBe(1);
    expect(ssmReads()).toBe(1);
    expect(requests.log.filter((r) => r === 'SendEmail')).toHaveLength(20);
  });

  it('sends a notice in 6 round trips: registry and item in one batch read, owner, suppression and unsubscribes beside the link MAC, claim, SES, SENT', async () => {
    // Act
    const response = await invoke(notice('Six'));

    // Assess: 7 requests, two of them side by side; none read the ledger.
    const { ledgerTable } = notify.provisioned.names;
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.rounds.map((round) => round.toSorted())).toEqual([...readsAndClaim(), ['SendEmail'], [`UpdateItem ${ledgerTable}`]]);
    expect(requests.rounds.length).toBeLessThanOrEqual(6);
  });

  it('blocks the same purchase and item under another event id in 5 round trips, without SES: the claim tells which row it found', async () => {
    // Prepare
    const first = purchaseMessageFactory({ registryId: 'reg-rt', item: { itemId: 'item-1', title: 'Once', quantity: 1 } });
    await invoke(sqsRecordFactory(first));
    requests.clear();

    // Act
    const response = await invoke(sqsRecordFactory({ ...first, eventId: `${first.eventId}-b` }));

    // Assess
    const { ledgerTable } = notify.provisioned.names;
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.rounds.map((round) => round.toSorted())).toEqual([...readsAndClaim(), [`PutItem ${ledgerTable}`]]);
  });

  it('deletes the second copy of an event in one batch as a duplicate, without a request of its own', async () => {
    // Prepare
    const record = notice('Twice');

    const copy = { ...record, messageId: `${record.messageId}-copy` };

    // Act
    const response = await invoke(record, copy);

    // Assess: deleted (no batch item failure), one notice's 7 requests in 6 round trips.
    expect(response.batchItemFailures).toEqual([]);
    expect(requests.log).toHaveLength(7);
    expect(requests.rounds).toHaveLength(6);
    const logged = notify
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string; messageId?: string });
    expect(logged).toContainEqual(expect.objectContaining({ message: 'purchase event already decided', messageId: copy.messageId }));
  });
});
