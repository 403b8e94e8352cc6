/** A lock with an expiry, so overlapping runs do not send side by side (pace doubling). */
export interface RunLease {
  /** Takes the lease until `until` unless another holder's lease is still live. */
  acquire(holder: string, now: Date, until: Date): Promise<boolean>;
  /** Gives it back, only if still ours. */
  release(holder: string): Promise<void>;
}
