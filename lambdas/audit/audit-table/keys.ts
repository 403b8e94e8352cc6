import { keyShard } from '../../platform/dynamodb/key-shard';

/**
 * How an incident's items are keyed. `shards: 0` is the first layout, every item under one
 * partition `INC#<id>` (incidents declared before the shards: still read and written so);
 * otherwise its rows, addresses, claims and counters are spread over that many partitions
 * `INC#<id>#<nn>`, each item's by {@link keyShard} of a value it is found by (the notice id of
 * a row, the address hash of the rest), so no partition takes more than its share of the
 * writes at any send rate (docs/incident-scale.md, "Keys written per apology"). The incident's
 * header (`INCIDENTS`, `INC#<id>`) records it (`keyShards`) when declared; it never changes.
 */
export interface IncidentLayout {
  readonly shards: number;
}

/** The layout of incidents declared before the shards. */
export const LEGACY_LAYOUT: IncidentLayout = { shards: 0 };

/** How many partitions a newly declared incident's items are spread over. */
export const INCIDENT_KEY_SHARDS = 32;

/** The layout of an incident declared now. */
export const CURRENT_LAYOUT: IncidentLayout = { shards: INCIDENT_KEY_SHARDS };

/**
 * Keys of the audit table (partition `pk`, sort `sk`; see docs/audit-and-apology.md).
 * One table, several item types, each found by a `GetItem` or one partition `Query` (an
 * incident's items: one `Query` per shard partition, {@link incidentPartitions}).
 */
export const AuditKeys = {
  incident: (incidentId: string) => ({ pk: 'INCIDENTS', sk: `INC#${incidentId}` }),
  incidentsPartition: 'INCIDENTS',
  /** The incident's own partition: the campaign item, and every item of a legacy incident. */
  incidentPartition: (incidentId: string) => `INC#${incidentId}`,
  member: (incidentId: string, noticeId: string, layout: IncidentLayout) => ({ pk: shardPartition(incidentId, layout, noticeId), sk: `ROW#${noticeId}` }),
  campaign: (incidentId: string) => ({ pk: `INC#${incidentId}`, sk: 'CAMPAIGN' }),
  recipient: (incidentId: string, addressHash: string, layout: IncidentLayout) => ({
    pk: shardPartition(incidentId, layout, addressHash),
    sk: `TO#${addressHash}`,
  }),
  apology: (incidentId: string, addressHash: string, layout: IncidentLayout) => ({
    pk: shardPartition(incidentId, layout, addressHash),
    sk: `APOLOGY#${addressHash}`,
  }),
  firstNotice: (key: string) => ({ pk: `FIRST#${key}`, sk: 'FIRST' }),
  /**
   * Which incident's campaign apologises for a notice (apologised-notices.ts): one partition
   * per notice id, so its writes spread as the notices do.
   */
  apologisedNotice: (noticeId: string) => ({ pk: `APOLOGISED#${noticeId}`, sk: 'APOLOGISED' }),
  sourceDay: (source: string, day: string) => ({ pk: `SOURCE#${source}`, sk: `DAY#${day}` }),
  sourcePartition: (source: string) => `SOURCE#${source}`,
  runLease: (name: string) => ({ pk: 'LEASE', sk: name }),
  /** A declarer's (person's) automatic approvals of one UTC day (auto-approvals.ts). */
  autoApprovals: (declarerKey: string, day: string) => ({ pk: `AUTO#${declarerKey}`, sk: `DAY#${day}` }),
  correctionsProgress: { pk: 'CORRECTIONS', sk: 'progress' },
  /** The shared schedule of apology send slots (and the circuit breaker). */
  rateSchedule: (name: string) => ({ pk: 'RATE', sk: name }),
  /**
   * The counter an address's settled claim is counted on: in a sharded incident the one item
   * `COUNT` of the claim's own partition; in a legacy one, one of 16 `COUNT#<0-f>` by the
   * address hash's first hex digit.
   */
  counterOf: (incidentId: string, addressHash: string, layout: IncidentLayout) =>
    layout.shards === 0
      ? { pk: `INC#${incidentId}`, sk: `COUNT#${legacyCounterShard(addressHash)}` }
      : { pk: shardPartition(incidentId, layout, addressHash), sk: 'COUNT' },
  /** Every counter of a sharded incident (a legacy one's are the `COUNT#` items of its partition). */
  counters: (incidentId: string, layout: IncidentLayout) => incidentPartitions(incidentId, layout).map((pk) => ({ pk, sk: 'COUNT' })),
} as const;

/** Every partition an incident's rows, addresses and claims are in, in shard order. */
export function incidentPartitions(incidentId: string, layout: IncidentLayout): string[] {
  if (layout.shards === 0) return [`INC#${incidentId}`];
  return Array.from({ length: layout.shards }, (_, shard) => `INC#${incidentId}#${String(shard).padStart(2, '0')}`);
}

/** The partition of the item found by `value` (a notice id, an address hash). */
export function shardPartition(incidentId: string, layout: IncidentLayout, value: string): string {
  if (layout.shards === 0) return `INC#${incidentId}`;
  return `INC#${incidentId}#${String(keyShard(value, layout.shards)).padStart(2, '0')}`;
}

/** The layout an incident header records (absent on incidents declared before the shards). */
export function layoutOf(header: Record<string, unknown> | undefined): IncidentLayout {
  const shards = header?.keyShards;
  return typeof shards === 'number' && Number.isInteger(shards) && shards > 0 ? { shards } : LEGACY_LAYOUT;
}

/** Legacy counter shards: the first hex digit of the address hash. */
export const COUNTER_SHARDS = [...'0123456789abcdef'];

function legacyCounterShard(addressHash: string): string {
  const first = addressHash.charAt(0).toLowerCase();
  return COUNTER_SHARDS.includes(first) ? first : '0';
}
