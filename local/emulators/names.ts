/** The emulated AWS services, as keys of ports and endpoints. */
export type EmulatorName = 'sqs' | 'ses' | 'dynamodb' | 'ssm' | 'kms';

/** All emulator names, in start/report order. */
export const EMULATOR_NAMES: readonly EmulatorName[] = ['sqs', 'ses', 'dynamodb', 'ssm', 'kms'];

/** Environment variable that overrides an emulator's port for `startEmulators` (e.g. `EMULATOR_PORT_DYNAMODB`). */
export function portEnvVar(emulator: EmulatorName): string {
  return `EMULATOR_PORT_${emulator.toUpperCase()}`;
}
