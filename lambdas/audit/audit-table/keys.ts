/**
 * Keys of the audit table (partition `pk`, sort `sk`; see docs/audit-and-apology.md).
 * One table, several item types, each found by a `GetItem` or one partition `Query`.
 */
export const AuditKeys = {
  incident: (incidentId: string) => ({ pk: 'INCIDENTS', sk: `INC#${incidentId}` }),
  incidentsPartition: 'INCIDENTS',
  incidentPartition: (incidentId: string) => `INC#${incidentId}`,
  member: (incidentId: string, noticeId: string) => ({ pk: `INC#${incidentId}`, sk: `ROW#${noticeId}` }),
  campaign: (incidentId: string) => ({ pk: `INC#${incidentId}`, sk: 'CAMPAIGN' }),
  recipient: (incidentId: string, addressHash: string) => ({ pk: `INC#${incidentId}`, sk: `TO#${addressHash}` }),
  apology: (incidentId: string, addressHash: string) => ({ pk: `INC#${incidentId}`, sk: `APOLOGY#${addressHash}` }),
  firstNotice: (key: string) => ({ pk: `FIRST#${key}`, sk: 'FIRST' }),
  sourceDay: (source: string, day: string) => ({ pk: `SOURCE#${source}`, sk: `DAY#${day}` }),
  sourcePartition: (source: string) => `SOURCE#${source}`,
  runLease: (name: string) => ({ pk: 'LEASE', sk: name }),
  correctionsProgress: { pk: 'CORRECTIONS', sk: 'progress' },
  /** The shared schedule of apology send slots (and the circuit breaker). */
  rateSchedule: (name: string) => ({ pk: 'RATE', sk: name }),
  /** One of 16 counters of a campaign's settled apologies (by the address hash's first hex digit). */
  counter: (incidentId: string, shard: string) => ({ pk: `INC#${incidentId}`, sk: `COUNT#${shard}` }),
  /** The counter an address's settled claim is counted on. */
  counterOf: (incidentId: string, addressHash: string) => ({ pk: `INC#${incidentId}`, sk: `COUNT#${counterShard(addressHash)}` }),
} as const;

/** Counter shards: the first hex digit of the address hash, so no counter item gets more than 1/16 of the writes. */
export const COUNTER_SHARDS = [...'0123456789abcdef'];

function counterShard(addressHash: string): string {
  const first = addressHash.charAt(0).toLowerCase();
  return COUNTER_SHARDS.includes(first) ? first : '0';
}
