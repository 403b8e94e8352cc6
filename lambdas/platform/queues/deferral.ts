/** Puts a purchase message back on its queue to be looked at later. */
export interface Deferral {
  /** Re-enqueues the body unchanged after `delaySeconds` (SQS allows up to 900). */
  defer(body: string, delaySeconds: number): Promise<void>;
}
