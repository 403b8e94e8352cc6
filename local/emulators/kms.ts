import { startInProcessEmulator } from './in-process-emulator';
import { startKmsEmulator } from './kms-emulator';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** Starts the in-process KMS emulator. */
export function startKms(options: EmulatorStartOptions): Promise<StartedEmulator> {
  return startInProcessEmulator('kms', startKmsEmulator, options);
}
