import { createHash } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveStackOutputs } from '@registry-notices/local-stack';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { loadAddressHashKey } from '../../../lambdas/directory/kms-address-hash-key';
import { seedTablesOf, writeSeed } from '../../../cli/seed/write-seed';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { provisionNotifyStack } from '../../support/notify-stack';

/**
 * The address-hash key as a function derives it (KMS GenerateMac of the label, once per cold
 * start) on two copies of the synthesized stack, each with its own KMS key: the same address
 * hashes differently in each, and a guessed address cannot be found in a table without the
 * stack's key.
 */
describe('keyed address hashes on two stacks', () => {
  let aws: AwsClients;
  const stacks: { keyArn: string; outputs: Readonly<Record<string, string>> }[] = [];
  const ADDRESS = 'guess.me@address-hash.example.com';

  beforeAll(async () => {
    aws = createAwsClients();
    for (const prefix of ['ahka', 'ahkb']) {
      const provisioned = await provisionNotifyStack(`${prefix}${Date.now().toString(36)}`);
      const outputs = resolveStackOutputs(provisioned.stack).values;
      stacks.push({ keyArn: outputs.AddressHashKeyArn!, outputs });
    }
  }, 120_000);

  afterAll(() => aws?.destroy());

  it('gives each stack its own hash of the same address, and neither is the unkeyed SHA-256', async () => {
    const [a, b] = stacks as [(typeof stacks)[0], (typeof stacks)[0]];
    expect(a.keyArn).not.toBe(b.keyArn);
    await loadAddressHashKey(aws.kms, a.keyArn);
    const underA = addressHash(ADDRESS);
    await loadAddressHashKey(aws.kms, b.keyArn);
    const underB = addressHash(ADDRESS);
    // The same key derives the same hash again: what a second execution environment does.
    await loadAddressHashKey(aws.kms, a.keyArn);
    expect(addressHash(ADDRESS)).toBe(underA);
    expect(underA).toMatch(/^[0-9a-f]{64}$/);
    expect(underB).not.toBe(underA);
    expect([underA, underB]).not.toContain(createHash('sha256').update(ADDRESS).digest('hex'));
  });

  it('keeps a guessed address from being found in the customers table without the key', async () => {
    const a = stacks[0]!;
    await loadAddressHashKey(aws.kms, a.keyArn);
    await writeSeed(aws.documentClient, seedTablesOf((key) => a.outputs[key]!), {
      registries: [],
      customers: [{ customerId: 'c-guess', email: ADDRESS, locale: 'en', notificationsOptOut: false }],
      suppressions: [{ email: ADDRESS, reason: 'BOUNCE' }],
    });
    const byHash = async (hash: string) =>
      (
        await aws.documentClient.send(
          new QueryCommand({ TableName: a.outputs.CustomersTableName, IndexName: 'byEmailHash', KeyConditionExpression: 'emailHash = :h', ExpressionAttributeValues: { ':h': hash } }),
        )
      ).Items ?? [];
    // What anyone can compute from a guess, and what another stack's key gives: nothing.
    expect(await byHash(createHash('sha256').update(ADDRESS).digest('hex'))).toEqual([]);
    await loadAddressHashKey(aws.kms, stacks[1]!.keyArn);
    expect(await byHash(addressHash(ADDRESS))).toEqual([]);
    // With this stack's key: the customer.
    await loadAddressHashKey(aws.kms, a.keyArn);
    expect((await byHash(addressHash(ADDRESS))).map((c) => c.customerId)).toEqual(['c-guess']);
    // Nor is the unkeyed hash anywhere in the suppressions table.
    const suppressions = (await aws.documentClient.send(new ScanCommand({ TableName: a.outputs.SuppressionsTableName, ConsistentRead: true }))).Items ?? [];
    expect(suppressions.map((s) => s.emailHash)).toEqual([addressHash(ADDRESS)]);
  });

  it('refuses to hash before the key is loaded, in a fresh module: no unkeyed fallback', async () => {
    vi.resetModules();
    try {
      const fresh = await import('../../../lambdas/directory/address-hash');
      expect(fresh.hasAddressHashKey()).toBe(false);
      expect(() => fresh.addressHash(ADDRESS)).toThrow(/address-hash key is not loaded/);
    } finally {
      vi.resetModules();
    }
  });

  it('fails the init with a clear error when KMS refuses (a key that does not exist)', async () => {
    await expect(loadAddressHashKey(aws.kms, 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000')).rejects.toThrow(
      /KMS GenerateMac failed \(\w+\): the address-hash key cannot be derived/,
    );
  });
});
