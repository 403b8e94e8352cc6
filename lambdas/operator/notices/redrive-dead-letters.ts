import type { MessageMover } from '../../platform/queues/message-mover';

/** What `dlq redrive` did. */
export interface RedriveReport {
  /** Messages moved back to the source queue. */
  readonly moved: number;
  /** Whether it stopped at `max` with messages perhaps left. */
  readonly stoppedAtMax: boolean;
}

/**
 * Moves dead-lettered messages back to the queue they came from, batch by batch, until the
 * DLQ is empty or `max` have moved; reports how many. Fix what made them fail first: they
 * are tried again as new, and come back after the receive limit if nothing changed.
 *
 * @example
 * const { moved } = await redriveDeadLetters(new SqsMessageMover({ client, fromQueueUrl: dlq, toQueueUrl: purchases }));
 */
export async function redriveDeadLetters(mover: MessageMover, options: { readonly max?: number } = {}): Promise<RedriveReport> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < max) {
    const batch = await mover.moveBatch(Math.min(10, max - moved));
    if (batch === 0) return { moved, stoppedAtMax: false };
    moved += batch;
  }
  return { moved, stoppedAtMax: true };
}
