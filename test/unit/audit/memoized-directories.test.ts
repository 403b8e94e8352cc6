import { describe, expect, it } from 'vitest';
import { memoizedDirectories } from '../../../lambdas/audit/memoized-directories';
import { AuditMetric } from '../../../lambdas/platform/metric-names';
import type { DirectoryHistory } from '../../../lambdas/directory/ports/directory-history';
import { AUDIT_METRICS } from '../../../lib/constructs/audit-apology';
import { customerFactory, registryFactory } from '../../helpers/factories';

describe('memoizedDirectories', () => {
  it('reads each registry and customer once per run, and retries a failed read', async () => {
    // Prepare
    const reads: string[] = [];
    let failOnce = true;
    const { registries, customers } = memoizedDirectories({
      registries: {
        getRegistryWithItem: async (id, item) => (reads.push(`r:${id}:${item}`), { registry: registryFactory(), itemOnRegistry: true }),
      },
      customers: {
        getCustomer: async (id) => {
          reads.push(`c:${id}`);
          if (failOnce) {
            failOnce = false;
            throw new Error('throttled');
          }
          return customerFactory();
        },
      },
      registryOwners: { ownsARegistry: async () => true },
      history: historyThatKnowsNothing(),
    });

    // Act
    await Promise.all([registries.getRegistryWithItem('reg-ann', 'i-1'), registries.getRegistryWithItem('reg-ann', 'i-1')]);
    await registries.getRegistryWithItem('reg-ann', 'i-2');
    await expect(customers.getCustomer('cus-ann')).rejects.toThrow('throttled');
    await customers.getCustomer('cus-ann');
    await customers.getCustomer('cus-ann');

    // Assess
    expect(reads).toEqual(['r:reg-ann:i-1', 'r:reg-ann:i-2', 'c:cus-ann', 'c:cus-ann']);
  });

  it('asks once per run whether a customer owns a registry, and retries a failed query', async () => {
    // Prepare
    const asked: string[] = [];
    let failOnce = true;
    const { registryOwners } = memoizedDirectories({
      registries: { getRegistryWithItem: async () => ({ registry: undefined, itemOnRegistry: false }) },
      customers: { getCustomer: async () => undefined },
      registryOwners: {
        ownsARegistry: async (id) => {
          asked.push(id);
          if (failOnce) {
            failOnce = false;
            throw new Error('throttled');
          }
          return id === 'cus-jonas';
        },
      },
      history: historyThatKnowsNothing(),
    });

    // Act
    await expect(registryOwners.ownsARegistry('cus-sam')).rejects.toThrow('throttled');
    const answers = await Promise.all([
      registryOwners.ownsARegistry('cus-sam'),
      registryOwners.ownsARegistry('cus-sam'),
      registryOwners.ownsARegistry('cus-jonas'),
      registryOwners.ownsARegistry('cus-jonas'),
    ]);

    // Assess
    expect(answers).toEqual([false, false, true, true]);
    expect(asked).toEqual(['cus-sam', 'cus-sam', 'cus-jonas']);
  });

  it('reads each registry\'s and customer\'s timeline once per run, and each "at an instant" question once', async () => {
    // Prepare
    const asked: string[] = [];
    const history: DirectoryHistory = {
      ...historyThatKnowsNothing(),
      registryTimeline: async (id) => (asked.push(`registry:${id}`), []),
      customerTimeline: async (id) => (asked.push(`customer:${id}`), []),
      customersWithAddressHashAt: async (hash, at) => (asked.push(`address:${hash}@${at}`), []),
    };
    const memo = memoizedDirectories({
      registries: { getRegistryWithItem: async () => ({ registry: undefined, itemOnRegistry: false }) },
      customers: { getCustomer: async () => undefined },
      registryOwners: { ownsARegistry: async () => false },
      history,
    }).history;

    // Act
    await Promise.all([memo.registryTimeline('reg-ann'), memo.registryTimeline('reg-ann'), memo.customerTimeline('cus-ann')]);
    await memo.customerTimeline('cus-ann');
    await memo.customersWithAddressHashAt('aa', '2026-03-01T10:00:00.000Z');
    await memo.customersWithAddressHashAt('aa', '2026-03-01T10:00:00.000Z');
    await memo.customersWithAddressHashAt('aa', '2026-04-01T10:00:00.000Z');

    // Assess
    expect(asked).toEqual(['registry:reg-ann', 'customer:cus-ann', 'address:aa@2026-03-01T10:00:00.000Z', 'address:aa@2026-04-01T10:00:00.000Z']);
  });
});

/** A history with no fact about anything. */
function historyThatKnowsNothing(): DirectoryHistory {
  return {
    registryAt: async () => undefined,
    itemOnRegistryAt: async () => false,
    customerAt: async () => undefined,
    customersWithAddressHashAt: async () => [],
    ownedARegistryAt: async () => false,
    registryTimeline: async () => [],
    customerTimeline: async () => [],
    corrections: async () => ({ corrections: [] }),
  };
}

describe('metric names', () => {
  it('are the same in the function and in the construct that alarms on them', () => {
    expect(AUDIT_METRICS.wrongNoticeFound).toBe(AuditMetric.WRONG_NOTICE_FOUND);
    expect(AUDIT_METRICS.apologySent).toBe(AuditMetric.APOLOGY_SENT);
    expect(AUDIT_METRICS.apologyFailed).toBe(AuditMetric.APOLOGY_FAILED);
    expect(AUDIT_METRICS.campaignAwaitingApproval).toBe(AuditMetric.CAMPAIGN_AWAITING_APPROVAL);
  });
});
