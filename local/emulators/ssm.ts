import { PortInUseError } from './errors';
import { isAddressInUse } from './ports';
import { waitUntilReadyOrStop } from './readiness';
import { startSsmEmulator } from './ssm-emulator';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** Starts the in-process SSM Parameter Store emulator. */
export async function startSsm({ port, timeoutMs }: EmulatorStartOptions): Promise<StartedEmulator> {
  let emulator: Awaited<ReturnType<typeof startSsmEmulator>>;
  try {
    emulator = await startSsmEmulator({ port, host: '127.0.0.1' });
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError('ssm', port, { cause: error });
    throw error;
  }
  await waitUntilReadyOrStop(
    { emulator: 'ssm', port: emulator.port, timeoutMs, probe: async (signal) => (await fetch(`${emulator.url}/health`, { signal })).ok },
    emulator.stop,
  );
  return { url: emulator.url, stop: emulator.stop };
}
