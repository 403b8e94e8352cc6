/** Where the scheduled run puts the shards of new rows, one message each, for the row-audit workers. */
export interface AuditShardQueue {
  /** Queues one message per pending state (shard) given. */
  enqueue(states: readonly string[]): Promise<void>;
}
