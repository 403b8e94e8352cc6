import { startInProcessEmulator } from './in-process-emulator';
import { startSsmEmulator } from './ssm-emulator';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** Starts the in-process SSM Parameter Store emulator. */
export function startSsm(options: EmulatorStartOptions): Promise<StartedEmulator> {
  return startInProcessEmulator('ssm', startSsmEmulator, options);
}
