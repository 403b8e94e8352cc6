import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDirectoryEvent } from '../../../lambdas/directory/apply-directory-event';
import { directoryApplyDeps } from '../../../lambdas/directory/apply-deps-wiring';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { DynamoDbNoticeLedger } from '../../../lambdas/notices/ledger-table/notice-ledger';
import { NoticeOutcome, type LedgerEntry } from '../../../lambdas/notices/ledger-entry';
import { parseSendLogLine } from '../../../lambdas/audit/send-log-line';
import { DynamoDbDirectoryHistory } from '../../../lambdas/directory/tables/directory-history';
import { erasedRecipientCheck } from '../../../lambdas/imports/erased-recipients';
import { DynamoDbImportedNotices } from '../../../lambdas/imports/tables/imported-notices';
import { customerErasedFactory, customerUpsertedFactory } from '../../helpers/factories';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { provisionDirectoryTables, type DirectoryTables } from '../../support/directory-stack';

const OLD = 'erin.old@erasure.example';
const PURCHASER = 'Paula Purchaser';
const GIFT = 'For Erin, with love from the lake';
/** A SENDING claim as the notify function makes it (lambdas/notices/notify/prepare-notice.ts). */
const claimTo = (recipientCustomerId: string, address: string, id: string): LedgerEntry => ({
  noticeId: `evt#${id}`,
  eventId: id,
  purchaseId: `p-${id}`,
  registryId: 'r-erin',
  itemId: 'i-1',
  recipientCustomerId,
  recipientAddress: address,
  recipientAddressHash: addressHash(address),
  outcome: NoticeOutcome.SENDING,
  decidedAt: new Date().toISOString(),
  sender: 'registry-notices',
});
const NEW = 'erin.new@erasure.example';

describe('erasing a customer (DynamoDB Local)', () => {
  let aws: AwsClients;
  let tables: DirectoryTables;
  let ledger: DynamoDbNoticeLedger;
  const everything = async () => {
    const scan = async (TableName: string) => (await aws.documentClient.send(new ScanCommand({ TableName }))).Items ?? [];
    return {
      customers: await scan(tables.customersTable),
      history: await scan(tables.historyTable),
      ledger: await scan(tables.ledgerTable),
      audit: await scan(tables.auditTable),
    };
  };

  beforeAll(async () => {
    aws = createAwsClients();
    tables = await provisionDirectoryTables(`erase${randomUUID().slice(0, 8)}-`);
    const deps = directoryApplyDeps(aws.documentClient, {
      history: tables.historyTable,
      registries: tables.registriesTable,
      customers: tables.customersTable,
      ledger: tables.ledgerTable,
    });
    // Erin had OLD, then NEW; Sam shares NEW (a family address).
    for (const event of [
      customerUpsertedFactory({ customerId: 'c-erin', version: 1, effectiveAt: '2026-01-01T00:00:00Z', email: OLD, firstName: 'Erin' }),
      customerUpsertedFactory({ customerId: 'c-erin', version: 2, effectiveAt: '2026-03-01T00:00:00Z', email: NEW, firstName: 'Erin' }),
      customerUpsertedFactory({ customerId: 'c-sam', version: 1, effectiveAt: '2026-02-01T00:00:00Z', email: NEW, firstName: 'Sam' }),
    ]) {
      await applyDirectoryEvent(event, deps);
    }
    const row = (noticeId: string, address: string, recipientCustomerId?: string) => ({
      noticeId,
      eventId: noticeId,
      registryId: 'r-erin',
      recipientAddress: address,
      recipientAddressHash: addressHash(address),
      ...(recipientCustomerId ? { recipientCustomerId } : {}),
      outcome: 'SENT',
      decidedAt: '2026-03-10T10:00:00.000Z',
      sender: 'registry-notices',
    });
    for (const item of [
      row('evt#to-erin-old', OLD, 'c-erin'),
      row('evt#to-erin-new', NEW, 'c-erin'),
      row('imp#legacy-crm#1', OLD),
      row('evt#to-sam', NEW, 'c-sam'),
    ]) {
      await aws.documentClient.send(new PutCommand({ TableName: tables.ledgerTable, Item: item }));
    }
    // A notice to Erin in doubt, with the purchase message kept for a re-send (purchaser's name, gift message).
    await aws.documentClient.send(
      new PutCommand({
        TableName: tables.ledgerTable,
        Item: { ...row('evt#in-doubt-erin', NEW, 'c-erin'), outcome: 'UNCERTAIN', inDoubt: 'UNCERTAIN', purchaseMessage: JSON.stringify({ purchaser: { displayName: PURCHASER }, giftMessage: GIFT }) },
      }),
    );
    // A notice to Erin claimed while the erasure starts: its claim is in before the erasure marks her row.
    ledger = new DynamoDbNoticeLedger({ client: aws.dynamodb, tableName: tables.ledgerTable, retentionDays: 30, customersTable: tables.customersTable });
    expect(await ledger.claim(claimTo('c-erin', NEW, 'in-flight'))).toEqual({ written: true });
    // Act
    await applyDirectoryEvent(customerErasedFactory({ customerId: 'c-erin', version: 3, effectiveAt: '2026-06-01T00:00:00Z' }), deps);
    // (The synth behind provisionDirectoryTables takes longer than the default hook time on a busy box.)
  }, 180_000);
  afterAll(() => aws.destroy());

  it('leaves Erin\'s address and name nowhere: not in customers, history, ledger or audit rows', async () => {
    // Act
    const { customers, history, ledger, audit } = await everything();
    const erins = JSON.stringify([...customers.filter((c) => c.customerId === 'c-erin'), ...history.filter((h) => h.customerId === 'c-erin'), ...ledger.filter((r) => r.noticeId !== 'evt#to-sam'), ...audit]);

    // Assess
    expect(erins).not.toContain(OLD);
    expect(erins).not.toContain(NEW);
    expect(erins).not.toContain('Erin');
    // The row in doubt lost the purchase message it kept for a re-send; the claim in flight, its address.
    expect(erins).not.toContain(PURCHASER);
    expect(erins).not.toContain(GIFT);
    expect(customers.find((c) => c.customerId === 'c-erin')).toMatchObject({ erased: true, notificationsOptOut: true });
  });

  it('refuses a notice claimed once the erasure marked Erin (nothing written, so nothing goes out), and scrubbed the claim made before', async () => {
    // Act
    const after = await ledger.claim(claimTo('c-erin', NEW, 'after-erasure'));
    const sams = await ledger.claim(claimTo('c-sam', NEW, 'to-sam-later'));
    const { ledger: rows } = await everything();

    // Assess: the transaction was cancelled whole (no claim, no purchase-and-item marker); Sam's went through.
    expect(after).toEqual({ written: false, recipientErased: true });
    expect(rows.filter((r) => String(r.noticeId).includes('after-erasure') || r.firstNoticeId === 'evt#after-erasure')).toEqual([]);
    expect(sams).toEqual({ written: true });
    // The claim in flight when the erasure began keeps its state, not the address.
    const inFlight = rows.find((r) => r.noticeId === 'evt#in-flight');
    expect(inFlight).toMatchObject({ outcome: 'SENDING', recipientErased: true, recipientAddressHash: addressHash(NEW) });
    expect(inFlight).not.toHaveProperty('recipientAddress');
    expect(rows.find((r) => r.noticeId === 'evt#in-doubt-erin')).not.toHaveProperty('purchaseMessage');
  });

  it('imports a send-log row about Erin after her erasure without its address: to her address then, or naming her as recipient', async () => {
    // Prepare: the import function's store, as lambdas/imports/s3-import/routes.ts wires it.
    const imported = new DynamoDbImportedNotices({
      client: aws.documentClient,
      ledgerTable: tables.ledgerTable,
      auditTable: tables.auditTable,
      retentionDays: 30,
      erasedRecipients: erasedRecipientCheck(new DynamoDbDirectoryHistory({ client: aws.documentClient, tableName: tables.historyTable })),
    });
    const line = (fields: Record<string, unknown>) => {
      const parsed = parseSendLogLine(JSON.stringify({ source: 'late-crm', sentAt: '2026-02-10T10:00:00Z', registryId: 'r-erin', purchaseId: `p-${String(fields.sourceNoticeId)}`, ...fields }), 1);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      return parsed.notice;
    };
    const STRANGER = 'someone.else@erasure.example';

    // Act: Erin had OLD on 10 February; the other system also wrote to a stranger, once naming Erin.
    const puts: Record<string, unknown> = {};
    for (const l of [
      line({ sourceNoticeId: 'to-old', recipientAddress: OLD }),
      line({ sourceNoticeId: 'claims-erin', recipientAddress: STRANGER, recipientCustomerId: 'c-erin' }),
      line({ sourceNoticeId: 'to-stranger', recipientAddress: STRANGER }),
    ]) {
      puts[l.sourceNoticeId] = await imported.putIfAbsent(l, new Date().toISOString());
    }
    const { ledger: rows } = await everything();
    const row = (id: string) => rows.find((r) => r.noticeId === `imp#late-crm#${id}`);

    // Assess
    expect(row('to-old')).toMatchObject({ recipientErased: true, recipientAddressHash: addressHash(OLD) });
    expect(row('to-old')).not.toHaveProperty('recipientAddress');
    expect(row('claims-erin')).toMatchObject({ recipientErased: true });
    expect(row('claims-erin')).not.toHaveProperty('recipientAddress');
    expect(row('to-stranger')).toMatchObject({ recipientAddress: STRANGER });
    expect(JSON.stringify(rows.filter((r) => String(r.noticeId).startsWith('imp#late-crm#')))).not.toContain(OLD);
    // Who, for the import's drain request: the address's erased holder with that hash; the
    // claimed customer with the hashes her facts keep, not the stranger's address.
    expect(puts['to-old']).toEqual({ outcome: 'written', erased: { customerId: 'c-erin', addressHashes: [addressHash(OLD)] } });
    expect(puts['claims-erin']).toMatchObject({ outcome: 'written', erased: { customerId: 'c-erin' } });
    expect([...(puts['claims-erin'] as { erased: { addressHashes: string[] } }).erased.addressHashes].sort()).toEqual([addressHash(OLD), addressHash(NEW)].sort());
    expect(puts['to-stranger']).toEqual({ outcome: 'written' });
  });

  it('keeps the hashes, so duplicates and suppressions still work, and marks the ledger rows erased', async () => {
    // Act
    const { history, ledger } = await everything();

    // Assess
    expect(history.filter((h) => h.customerId === 'c-erin' && h.emailHash).map((h) => h.emailHash).sort()).toEqual([addressHash(OLD), addressHash(NEW)].sort());
    for (const id of ['evt#to-erin-old', 'evt#to-erin-new', 'imp#legacy-crm#1']) {
      const row = ledger.find((r) => r.noticeId === id);
      expect(row, id).toMatchObject({ recipientErased: true, recipientAddressHash: expect.any(String) });
      expect(row, id).not.toHaveProperty('recipientAddress');
    }
  });

  it('leaves whole the rows of another customer who shares the address', async () => {
    // Act
    const { customers, ledger } = await everything();

    // Assess
    expect(ledger.find((r) => r.noticeId === 'evt#to-sam')).toMatchObject({ recipientAddress: NEW });
    expect(customers.find((c) => c.customerId === 'c-sam')).toMatchObject({ email: NEW, firstName: 'Sam' });
  });
});
