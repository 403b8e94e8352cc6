import { PortInUseError } from '../errors';
import type { EmulatorName } from './names';
import { isAddressInUse } from './ports';
import { waitUntilReadyOrStop } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** An emulator of ours that runs in this process: an HTTP server with `GET /health`. */
export type InProcessServer = (options: { port: number; host: string }) => Promise<{ url: string; port: number; stop(): Promise<void> }>;

/**
 * Starts one of our in-process emulators (SSM, KMS) on 127.0.0.1 and waits until it answers
 * its health check; a taken port becomes a {@link PortInUseError} naming the emulator.
 *
 * @example
 * export const startSsm = (options: EmulatorStartOptions) => startInProcessEmulator('ssm', startSsmEmulator, options);
 */
export async function startInProcessEmulator(
  name: EmulatorName,
  start: InProcessServer,
  { port, timeoutMs }: EmulatorStartOptions,
): Promise<StartedEmulator> {
  let emulator: Awaited<ReturnType<InProcessServer>>;
  try {
    emulator = await start({ port, host: '127.0.0.1' });
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(name, port, { cause: error });
    throw error;
  }
  await waitUntilReadyOrStop(
    { emulator: name, port: emulator.port, timeoutMs, probe: async (signal) => (await fetch(`${emulator.url}/health`, { signal })).ok },
    emulator.stop,
  );
  return { url: emulator.url, stop: emulator.stop };
}
