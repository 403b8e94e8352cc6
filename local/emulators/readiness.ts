import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedChild } from './child-process';
import { EmulatorError, EmulatorExitedError, EmulatorStartTimeoutError, PortInUseError } from '../errors';
import type { EmulatorName } from './names';

/** Options for {@link waitUntilReady}. */
export interface ReadinessOptions {
  emulator: EmulatorName;
  /** Resolves true once the emulator really serves requests; may throw while it is not up yet. */
  probe: (signal: AbortSignal) => Promise<boolean>;
  /** The process being waited for, if any: its early exit fails fast with its last output. */
  child?: ManagedChild;
  /** The port, to recognise a bind failure in the child's output. */
  port: number;
  timeoutMs: number;
}

const POLL_MS = 100;
const PROBE_TIMEOUT_MS = 2_000;
// Java says "Failed to bind"/"Address already in use"; aws-ses-v2-local ignores its listen error
// and then fails with "Server does not have an address".
const BIND_FAILURE = /address already in use|failed to bind|EADDRINUSE|does not have an address/i;

/** Polls `probe` until it answers, the child exits, or the time is up. */
export async function waitUntilReady(options: ReadinessOptions): Promise<void> {
  const { emulator, probe, child, port, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProbeError: unknown;
  for (;;) {
    if (child?.hasExited()) throw await exitError(emulator, child, port);
    try {
      if (await probe(AbortSignal.timeout(PROBE_TIMEOUT_MS))) {
        // A probe can succeed against a process that grabbed the port first; ours then dies.
        if (child?.hasExited()) throw await exitError(emulator, child, port);
        return;
      }
    } catch (error) {
      if (error instanceof EmulatorExitedError || error instanceof PortInUseError) throw error;
      lastProbeError = error;
    }
    if (Date.now() >= deadline) {
      const tail = child ? `\nLast output:\n  ${child.lastOutput().join('\n  ')}` : '';
      throw new EmulatorStartTimeoutError(
        `The ${emulator} emulator did not answer within ${timeoutMs} ms.${tail}`,
        { cause: lastProbeError },
      );
    }
    await sleep(POLL_MS);
  }
}

/**
 * {@link waitUntilReady}, and on failure `stop()` the emulator before rethrowing, so a
 * failed start leaves nothing running.
 */
export async function waitUntilReadyOrStop(options: ReadinessOptions, stop: () => Promise<void>): Promise<void> {
  try {
    await waitUntilReady(options);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function exitError(emulator: EmulatorName, child: ManagedChild, port: number): Promise<Error> {
  const exit = await child.exited;
  const output = child.lastOutput();
  const cause = exit.error;
  if (cause) return new EmulatorError(`The ${emulator} emulator could not be started: ${cause.message}`, { cause });
  if (output.some((line) => BIND_FAILURE.test(line))) return new PortInUseError(emulator, port, { cause });
  return new EmulatorExitedError(emulator, exit.code, exit.signal, output, { cause });
}
