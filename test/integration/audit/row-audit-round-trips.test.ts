import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOneShard } from '../../../lambdas/audit/audit-one-shard';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { PENDING_STATES, pendingStateFor } from '../../../lambdas/notices/ledger-table/audit-shards';
import { rowAuditPipelineFromEnv } from '../../../lambdas/audit/row-audit/pipeline';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld } from './audit-world';

/** DynamoDB requests by operation, counted on the client the worker is wired with (one per command sent, retries not counted). */
function countRequests(client: AwsClients['dynamodb']): { counts: Map<string, number>; remove(): void } {
  const counts = new Map<string, number>();
  const name = 'countRowAuditRequests';
  client.middlewareStack.add(
    (next, context) => (args) => {
      const command = context.commandName ?? '(unknown)';
      counts.set(command, (counts.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { counts, remove: () => client.middlewareStack.remove(name) };
}

describe('what a row-audit worker asks DynamoDB per row (DynamoDB Local)', () => {
  let clients: AwsClients;

  beforeAll(() => {
    clients = createAwsClients();
  });
  afterAll(() => clients.destroy());

  it('judges a right notice of a registry of its own in 7 requests, and a shard pass adds 4 of its own', async () => {
    // Prepare: the incident's shape: every row a different registry and owner, all right.
    const world = await createAuditWorld(clients);
    const ROWS = 32;
    for (let i = 0; i < ROWS; i += 1) {
      await world.putRegistry(`rt-reg-${i}`, `rt-cus-${i}`);
      await world.putCustomer(`rt-cus-${i}`, `rt-owner-${i}`);
      const recipientAddress = world.address(`rt-owner-${i}`);
      const recipientAddressHash = addressHash(recipientAddress);
      await world.putNotice(`evt#rt-${i}`, {
        decidedAt: new Date(Date.parse('2025-03-01T10:00:00.000Z') + i * 1000).toISOString(),
        registryId: `rt-reg-${i}`,
        purchaseId: `rt-p-${i}`,
        eventId: `rt-${i}`,
        recipientAddress,
        recipientAddressHash,
        auditState: pendingStateFor(recipientAddressHash),
      });
    }
    const { deps } = rowAuditPipelineFromEnv({ dynamoDb: clients.dynamodb }, world.env);
    const settings = { leaseMs: 60_000, safetyMarginMs: 1_000, settleMs: 300_000, maxRows: 1_000_000, concurrency: 8 };
    const counter = countRequests(clients.dynamodb);

    // Act: every shard's pass, as the workers run them.
    let rows = 0;
    let passes = 0;
    try {
      for (const state of PENDING_STATES) {
        const report = await auditOneShard(state, deps, settings, () => 60_000);
        rows += report.rows;
        passes += 1;
      }
    } finally {
      counter.remove();
    }

    // Assess
    expect(rows).toBe(ROWS);
    // The shard lease taken and given back, the incidents, the page of pending rows.
    const perPass = { PutItemCommand: 1, QueryCommand: 2, DeleteItemCommand: 1 };
    // A BatchGetItem (the registry and its item), a GetItem, two queries, two conditional puts, the mark.
    const perRow = { BatchGetItemCommand: 1, GetItemCommand: 1, QueryCommand: 2, PutItemCommand: 2, UpdateItemCommand: 1 };
    const expected = new Map<string, number>();
    for (const [op, n] of Object.entries(perPass)) expected.set(op, (expected.get(op) ?? 0) + n * passes);
    for (const [op, n] of Object.entries(perRow)) expected.set(op, (expected.get(op) ?? 0) + n * ROWS);
    expect(Object.fromEntries([...counter.counts].sort())).toEqual(Object.fromEntries([...expected].sort()));
  }, 120_000);
});
