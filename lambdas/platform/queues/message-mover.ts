/** Moves messages from one queue to another (a DLQ back to its source). */
export interface MessageMover {
  /** Moves one batch of at most `limit` (and at most 10); resolves to how many moved, 0 once the source is empty. */
  moveBatch(limit: number): Promise<number>;
}
