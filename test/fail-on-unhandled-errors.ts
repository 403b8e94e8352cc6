/**
 * Setup file of every vitest project: an unhandled rejection or an uncaught exception fails
 * the test during which it surfaced, under that test's name, instead of a run whose tests are
 * all green and whose only hint is vitest's "1 unhandled error" footer.
 *
 * Vitest's own handler stands aside while another listener exists (it assumes the user handles
 * the error), so this one must fail something itself: the running test (`afterEach`), or the
 * file when the error surfaced between tests (`afterAll`). After `afterAll` the listeners are
 * removed, and vitest's handler fails the run for anything later, as it does by default.
 */
import { afterAll, afterEach, beforeEach } from 'vitest';

/** What surfaced, and under which test. */
interface Caught {
  readonly kind: 'unhandled rejection' | 'uncaught exception';
  readonly error: unknown;
  /** The running test's full name, or the last test that ran when none was running. */
  readonly test: string | undefined;
  readonly running: boolean;
}

/** An unhandled rejection or uncaught exception surfaced while a test, or its file, ran. */
export class UnhandledErrorDuringTestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnhandledErrorDuringTestError';
  }
}

// Taken before any test can fake timers (vi.useFakeTimers replaces the global one).
const realSetImmediate = globalThis.setImmediate;
/** One turn of the event loop: a rejection from the last tick has been reported by then. */
const oneTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

const caught: Caught[] = [];
let current: string | undefined;
let last: string | undefined;

const onRejection = (error: unknown): void => {
  caught.push({ kind: 'unhandled rejection', error, test: current ?? last, running: current !== undefined });
};
const onException = (error: unknown): void => {
  caught.push({ kind: 'uncaught exception', error, test: current ?? last, running: current !== undefined });
};
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

beforeEach((context) => {
  current = context.task.fullTestName ?? context.task.name;
});

afterEach(async () => {
  // Node reports a rejection once the microtask queue drains: let one from the test's last tick surface here.
  await oneTurn();
  last = current;
  current = undefined;
  // Only what surfaced while the test ran: the rest is the file's, reported by afterAll.
  const during = caught.filter((c) => c.running);
  caught.splice(0, caught.length, ...caught.filter((c) => !c.running));
  if (during.length > 0) throw failure(during);
});

afterAll(async () => {
  await oneTurn();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  const outside = caught.splice(0);
  if (outside.length > 0) throw failure(outside);
});

function failure(errors: readonly Caught[]): UnhandledErrorDuringTestError {
  const lines = errors.map(({ kind, error, test, running }) => {
    const where = running ? `while "${test}" ran` : test ? `after "${test}" ended` : 'before any test ran';
    return `${kind} ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  });
  const first = errors[0]?.error;
  return new UnhandledErrorDuringTestError(
    `${errors.length} unhandled error(s): a promise rejected with no handler, or an exception escaped a callback. ` +
      `Await or handle it (e.g. Promise.allSettled for promises in flight together).\n${lines.join('\n')}`,
    first instanceof Error ? { cause: first } : undefined,
  );
}
