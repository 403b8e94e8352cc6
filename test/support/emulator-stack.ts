import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { emulatorEnv, LOCAL_AWS_REGION, startLocalStack, type LocalStack, type LocalStackOptions } from '@registry-notices/local-stack';

/** What {@link startOnEmulators} takes beyond the cloud assembly and the name prefix. */
export type EmulatorStackOptions = Omit<LocalStackOptions, 'cloudAssembly' | 'endpoints' | 'functionEnvironment' | 'region' | 'namePrefix'>;

/**
 * Starts the local stack of `cloudAssembly` on the emulators of the test run (global setup's
 * `emulatorEndpoints`), its functions told where they are, in the local region, every name under
 * `prefix` and a random part, so test files can share the emulators side by side.
 *
 * @example
 * local = await startOnEmulators(removedAfterFile(writeFakeAssembly('Runner', template, bundles)), 't', { observer: (r) => reports.push(r) });
 */
export function startOnEmulators(cloudAssembly: string, prefix: string, options: EmulatorStackOptions = {}): Promise<LocalStack> {
  const endpoints = inject('emulatorEndpoints');
  return startLocalStack({
    cloudAssembly,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    namePrefix: `${prefix}${randomUUID().slice(0, 6)}-`,
    ...options,
  });
}
