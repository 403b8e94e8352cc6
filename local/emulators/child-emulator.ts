import type { ChildProcess } from 'node:child_process';
import { manageChild } from './child-process';
import type { EmulatorName } from './names';
import { assertPortFree, findFreePort } from './ports';
import { waitUntilReadyOrStop } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** Options for {@link startChildEmulator}. */
export interface ChildEmulatorOptions extends EmulatorStartOptions {
  readonly emulator: EmulatorName;
  /** The interface it binds: where a requested port is checked, and a free one picked for 0. */
  readonly bindHost: string;
  /** Spawns it on `port`, stdout/stderr piped. */
  readonly spawn: (port: number) => ChildProcess;
  /** A real request to its `url`: true once it serves. */
  readonly probe: (url: string, signal: AbortSignal) => Promise<boolean>;
}

/**
 * Starts an emulator that runs as a child process and cannot report the port it got
 * (DynamoDB Local, aws-ses-v2-local): picks a free port itself for port 0 (else fails with
 * `PortInUseError` when the port is taken), keeps its output for error messages, has the
 * reaper kill it should this process die, and waits until `probe` answers on
 * `http://127.0.0.1:<port>`; a failed start stops it again.
 */
export async function startChildEmulator(options: ChildEmulatorOptions): Promise<StartedEmulator> {
  const { emulator, port, bindHost, log, reaper, timeoutMs } = options;
  const actualPort = port === 0 ? await findFreePort(bindHost) : port;
  if (port !== 0) await assertPortFree(emulator, port, bindHost);
  const child = manageChild(emulator, options.spawn(actualPort), log);
  reaper.watch(child.pid);
  const url = `http://127.0.0.1:${actualPort}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= child.stop().then(() => reaper.release(child.pid)));
  await waitUntilReadyOrStop(
    { emulator, port: actualPort, child, timeoutMs, probe: (signal) => options.probe(url, signal) },
    stop,
  );
  return { url, stop };
}
