/** A lock with an expiry, so overlapping runs do not do the same work side by side. */
export interface RunLease {
  /** Takes the lease until `until` unless another holder's lease is still live. */
  acquire(holder: string, now: Date, until: Date): Promise<boolean>;
  /** Gives it back, only if still ours. */
  release(holder: string): Promise<void>;
  /** When the current lease ends, if one is held: how long a caller must wait for a dead run's lease. */
  heldUntil(): Promise<Date | undefined>;
}
