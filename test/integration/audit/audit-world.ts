import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { senderDepsFromEnv } from '../../../lambdas/audit/apology/pipeline';
import type { SenderDeps, SenderSettings } from '../../../lambdas/audit/apology/send-apology';
import { drainApologies, type DrainOptions, type DrainReport } from '../../support/apology-drain';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { loadAddressHashKey } from '../../../lambdas/directory/kms-address-hash-key';
import { factItem } from '../../../lambdas/directory/tables/history-items';
import { DynamoDbImportedNotices } from '../../../lambdas/imports/tables/imported-notices';
import { DAY_SHARD_ATTRIBUTE, dayShardFor } from '../../../lambdas/notices/ledger-table/day-shards';
import { correctionOf } from '../../../lambdas/directory/correction';
import type { DirectoryEvent } from '../../../lambdas/directory/directory-event';
import { factsOf } from '../../../lambdas/directory/directory-fact';
import type { RunDeps, RunSettings } from '../../../lambdas/audit/audit-deps';
import { ssmParameterReader } from '../../../lambdas/platform/ssm-parameter-reader';
import { runDepsFromEnv } from '../../../lambdas/audit/audit-deps-from-env';
import { sqs } from '../../../lambdas/platform/clients/sqs';
import { ssm } from '../../../lambdas/platform/clients/ssm';
import type { AwsClients } from '../../support/aws-clients';
import { kms } from '../../../lambdas/platform/clients/kms';

const S = 'S' as const;
const gsi = (IndexName: string, pk: string, sk?: string, ProjectionType: 'ALL' | 'KEYS_ONLY' = 'ALL') => ({
  IndexName,
  KeySchema: [{ AttributeName: pk, KeyType: 'HASH' as const }, ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : [])],
  Projection: { ProjectionType },
});

/** String attributes, as every key here is. */
const attributes = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: S }));

type TableNames = Record<'registries' | 'customers' | 'suppressions' | 'unsubscribes' | 'ledger' | 'history' | 'audit', string>;

/** The tables of docs/data-model.md plus the audit table, under fresh names. */
function tableDefinitions(t: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: t.registries,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('pk', 'sk', 'ownerCustomerId'),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [gsi('byOwner', 'ownerCustomerId', undefined, 'KEYS_ONLY')],
    },
    {
      TableName: t.customers,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('customerId', 'emailHash'),
      KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [gsi('byEmailHash', 'emailHash')],
    },
    {
      TableName: t.suppressions,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('emailHash'),
      KeySchema: [{ AttributeName: 'emailHash', KeyType: 'HASH' }],
    },
    {
      TableName: t.unsubscribes,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('emailHash', 'scope'),
      KeySchema: [{ AttributeName: 'emailHash', KeyType: 'HASH' }, { AttributeName: 'scope', KeyType: 'RANGE' }],
    },
    {
      TableName: t.ledger,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('noticeId', 'auditState', 'decidedAt', 'decidedDay', 'decidedDayShard', 'recipientAddressHash'),
      KeySchema: [{ AttributeName: 'noticeId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        gsi('byAuditState', 'auditState', 'decidedAt'),
        gsi('byDecidedDay', 'decidedDay', 'decidedAt'),
        gsi('byDecidedDayShard', 'decidedDayShard', 'decidedAt'),
        { ...gsi('byAddress', 'recipientAddressHash', 'decidedAt'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['registryId', 'itemId'] } },
      ],
    },
    {
      TableName: t.history,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('pk', 'sk', 'ownerCustomerId', 'emailHash', 'correctionDay', 'appliedAt'),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        gsi('byOwner', 'ownerCustomerId', 'sk', 'KEYS_ONLY'),
        gsi('byEmailHash', 'emailHash', 'sk', 'KEYS_ONLY'),
        gsi('byCorrectionDay', 'correctionDay', 'appliedAt'),
      ],
    },
    {
      TableName: t.audit,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes('pk', 'sk'),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    },
  ];
}

/** A fresh set of tables with the run's adapters over them, and helpers to seed our data. */
export interface AuditWorld {
  readonly tables: TableNames;
  readonly env: Record<string, string>;
  /** A unique mail domain, so this world's addresses are its own in the shared mailbox. */
  readonly domain: string;
  readonly deps: RunDeps;
  /** The apology sender's deps, wired from the same environment as in the Lambda. */
  readonly sender: SenderDeps;
  /** The world's own apology queue. */
  readonly apologyQueueUrl: string;
  readonly imports: DynamoDbImportedNotices;
  address(local: string): string;
  putRegistry(registryId: string, ownerCustomerId: string, status?: string, purchaseNotifications?: boolean): Promise<void>;
  putCustomer(customerId: string, local: string, locale?: string, notificationsOptOut?: boolean): Promise<void>;
  suppress(local: string): Promise<void>;
  /** Records that the address unsubscribed from all mail, as the unsubscribe endpoint does. */
  unsubscribeFromAll(local: string): Promise<void>;
  /**
   * Writes a ledger row as the notify function leaves a sent one (`SENT`, ours, pending
   * audit, `decidedDayShard` from `decidedAt` and the address hash); any field may be overridden
   * or dropped (`undefined`). Given `decidedDay`, the row is as written before the day shards:
   * that, and no `decidedDayShard`.
   */
  putNotice(noticeId: string, fields: Record<string, unknown> & { readonly decidedAt: string }): Promise<void>;
  /** Writes the facts of directory events into the history, applied at `appliedAt`, as the normal feed. */
  recordHistory(events: readonly DirectoryEvent[], appliedAt: string): Promise<void>;
  /**
   * Writes one late event as the directory function records a correction: marked, given the
   * fact that held at its `effectiveAt` before it arrived (`before`, if any).
   */
  recordCorrection(event: DirectoryEvent, appliedAt: string, before?: DirectoryEvent): Promise<void>;
  /** Deps with other settings or parts (e.g. a later clock). */
  with(overrides: Partial<Omit<RunDeps, 'settings'>> & { settings?: Partial<RunSettings> }): RunDeps;
  /** Sender deps with other settings or parts (e.g. a failing mailer). */
  senderWith(overrides: Partial<Omit<SenderDeps, 'settings'>> & { settings?: Partial<SenderSettings> }): SenderDeps;
  /** Runs the sender over the world's apology queue until it is empty (see drainApologies). */
  drain(deps?: SenderDeps, options?: DrainOptions): Promise<DrainReport>;
}

let fileHashKeyArn: Promise<string> | undefined;

/** The address-hash KMS key of this test file's worlds, made in the KMS emulator once. */
function fileAddressHashKeyArn(clients: AwsClients): Promise<string> {
  fileHashKeyArn ??= clients.kms
    .send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    .then(({ KeyMetadata }) => KeyMetadata!.Arn!);
  return fileHashKeyArn;
}

/**
 * Creates the tables (or takes ones provisioned elsewhere, e.g. by the local stack) and
 * wires the audit function's adapters to them, as in the Lambda.
 */
export async function createAuditWorld(
  clients: AwsClients,
  settings: Partial<RunSettings> = {},
  existing?: AuditWorld['tables'],
  /** The stack's address-hash key (`AddressHashKeyArn`) when `existing` are a stack's tables. */
  addressHashKeyArn?: string,
): Promise<AuditWorld> {
  const suffix = randomUUID().slice(0, 8);
  const tables = existing ?? {
    registries: `Registries-${suffix}`,
    customers: `Customers-${suffix}`,
    suppressions: `Suppressions-${suffix}`,
    unsubscribes: `Unsubscribes-${suffix}`,
    ledger: `Ledger-${suffix}`,
    history: `History-${suffix}`,
    audit: `Audit-${suffix}`,
  };
  if (!existing) await Promise.all(tableDefinitions(tables).map((d) => clients.dynamodb.send(new CreateTableCommand(d))));
  // Each world signs its apologies' unsubscribe links with its own HMAC key in the KMS emulator.
  const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
  const { KeyMetadata: sealKey } = await clients.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
  // And hashes its addresses under an address-hash key (its stack's, or one per test file), as a stack does; this
  // process too (the world's rows are seeded and read under it, and a handler imported later derives the same).
  // One key per file, not per world: the key is process-wide, so a second world made with its own key would
  // re-key the first world's reads (a file that plans in one world, makes another, then sends in the first).
  const hashKeyArn = addressHashKeyArn ?? (await fileAddressHashKeyArn(clients));
  await loadAddressHashKey(clients.kms, hashKeyArn);
  const { QueueUrl: apologyQueueUrl } = await clients.sqs.send(
    // A short visibility: a record whose handling threw comes back within seconds in a test.
    new CreateQueueCommand({ QueueName: `apologies-${suffix}`, Attributes: { VisibilityTimeout: '2' } }),
  );
  const env = {
    LEDGER_TABLE: tables.ledger,
    REGISTRIES_TABLE: tables.registries,
    CUSTOMERS_TABLE: tables.customers,
    SUPPRESSIONS_TABLE: tables.suppressions,
    UNSUBSCRIBES_TABLE: tables.unsubscribes,
    AUDIT_TABLE: tables.audit,
    DIRECTORY_HISTORY_TABLE: tables.history,
    SES_CONFIGURATION_SET: 'registry-notices',
    SENDER_ADDRESS: 'gifts@notices.example.com',
    HELP_URL: 'https://shop.example/help',
    UNSUBSCRIBE_BASE_URL: 'https://unsubscribe.example/',
    UNSUBSCRIBE_KEY_ARN: KeyMetadata!.Arn!,
    UNSUBSCRIBE_SEAL_KEY_ARN: sealKey!.Arn!,
    ADDRESS_HASH_KEY_ARN: hashKeyArn,
    SHOP_NAME: 'Example Shop',
    KILL_SWITCH_PARAMETER: '/registry-notices/sending-paused',
    // The operator endpoint's notice commands (notice show/uncertain/resolve, dlq redrive) are
    // wired at cold start too; this world's tests do not use them, so the queues need not exist.
    ...Object.fromEntries(
      ['PURCHASE_QUEUE_URL', 'DEAD_LETTER_QUEUE_URL', 'FEEDBACK_QUEUE_URL', 'FEEDBACK_DEAD_LETTER_QUEUE_URL'].map((name) => [
        name,
        `${inject('emulatorEndpoints').sqs}/000000000000/unused-${suffix}-${name.toLowerCase()}`,
      ]),
    ),
    APOLOGY_QUEUE_URL: apologyQueueUrl!,
    APOLOGY_RATE_SHARE_PERCENT: '100',
  };
  // The functions' own SQS sender (the SDK client stays the test's), over the emulator the environment names.
  const sdk = { dynamoDb: clients.dynamodb, sesV2: clients.sesSender, sqs, kms, readParameter: ssmParameterReader(ssm) };
  const base = runDepsFromEnv(sdk, env);
  const senderBase = senderDepsFromEnv(sdk, env);
  const sender: SenderDeps = {
    ...senderBase,
    killSwitch: { isPaused: async () => false },
    // Delays short enough for a test; the rate is the emulator's 14/s.
    settings: { ...senderBase.settings, pausedDelaySeconds: 1, staleClaimMs: 3_000, safetyMarginMs: 1_000 },
  };
  const deps: RunDeps = {
    ...base,
    // The SSM parameter is shared by every test of the run: each world has its own switch.
    killSwitch: { isPaused: async () => false },
    settings: { ...base.settings, sendRateShare: 1, safetyMarginMs: 1_000, approvalThreshold: 100, ...settings },
  };
  const domain = `t-${suffix}.example.org`;
  const doc = clients.documentClient;
  const address = (local: string): string => `${local}@${domain}`;
  return {
    tables,
    env,
    domain,
    deps,
    sender,
    apologyQueueUrl: apologyQueueUrl!,
    imports: new DynamoDbImportedNotices({ client: doc, ledgerTable: tables.ledger, auditTable: tables.audit, retentionDays: 400 }),
    address,
    async putRegistry(registryId, ownerCustomerId, status = 'ACTIVE', purchaseNotifications = true) {
      await doc.send(
        new PutCommand({
          TableName: tables.registries,
          Item: { pk: registryId, sk: 'REGISTRY', registryId, ownerCustomerId, status, purchaseNotifications, title: 'Registry' },
        }),
      );
    },
    async putCustomer(customerId, local, locale = 'en', notificationsOptOut = false) {
      const email = address(local);
      await doc.send(
        new PutCommand({
          TableName: tables.customers,
          Item: { customerId, email, emailHash: addressHash(email), locale, notificationsOptOut },
        }),
      );
    },
    async suppress(local) {
      await doc.send(
        new PutCommand({ TableName: tables.suppressions, Item: { emailHash: addressHash(address(local)), reason: 'BOUNCE', createdAt: new Date().toISOString() } }),
      );
    },
    async unsubscribeFromAll(local) {
      await doc.send(
        new PutCommand({
          TableName: tables.unsubscribes,
          Item: { emailHash: addressHash(address(local)), scope: 'ALL', unsubscribedAt: new Date().toISOString(), via: 'ONE_CLICK' },
        }),
      );
    },
    async putNotice(noticeId, fields) {
      const hash = typeof fields.recipientAddressHash === 'string' ? fields.recipientAddressHash : undefined;
      const day = 'decidedDay' in fields ? {} : { [DAY_SHARD_ATTRIBUTE]: dayShardFor(fields.decidedAt, hash, noticeId) };
      await doc.send(
        new PutCommand({
          TableName: tables.ledger,
          Item: {
            noticeId,
            outcome: 'SENT',
            sender: 'registry-notices',
            auditState: 'PENDING',
            ...day,
            ...fields,
          },
        }),
      );
    },
    async recordHistory(events, appliedAt) {
      for (const fact of events.flatMap(factsOf)) await doc.send(new PutCommand({ TableName: tables.history, Item: factItem(fact, appliedAt) }));
    },
    async recordCorrection(event, appliedAt, before) {
      const [fact] = factsOf(event);
      const correction = correctionOf(fact!, { before: before && factsOf(before)[0] }, appliedAt);
      if (!correction) throw new Error(`event ${event.eventId} corrects nothing: not late, or the same as before`);
      await doc.send(new PutCommand({ TableName: tables.history, Item: factItem(fact!, appliedAt, correction) }));
    },
    with(overrides) {
      return { ...deps, ...overrides, settings: { ...deps.settings, ...overrides.settings } };
    },
    senderWith(overrides) {
      return { ...sender, ...overrides, settings: { ...sender.settings, ...overrides.settings } };
    },
    drain(senderDeps = sender, options = {}) {
      // As in the stack, an invocation ends before its messages become visible again (2 s here)
      // and a claim is stale only after that (3 s): told it had 60 s, a live sender could hold a
      // claim past 3 s on a loaded box, and its own message, redelivered, called it dead.
      return drainApologies(clients.sqs, apologyQueueUrl!, senderDeps, { remainingMs: 1_900, ...options });
    },
  };
}

/** One send-log line (format v1) as text. */
export function sendLogLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ source: 'legacy-crm', sentAt: '2025-03-01T10:00:00Z', ...fields });
}

/** The tables of a provisioned stack (the local engine's resolved outputs), for {@link createAuditWorld}. */
export function tablesFromOutputs(outputs: Readonly<Record<string, string>>): AuditWorld['tables'] {
  return {
    registries: outputs.RegistriesTableName!,
    customers: outputs.CustomersTableName!,
    suppressions: outputs.SuppressionsTableName!,
    unsubscribes: outputs.UnsubscribesTableName!,
    ledger: outputs.LedgerTableName!,
    history: outputs.DirectoryHistoryTableName!,
    audit: outputs.AuditTableName!,
  };
}
