/**
 * First setup file of the `integration` project, which runs its files with `isolate: false`
 * (vitest.config.ts): a worker process runs file after file, so what one file changed must not
 * reach the next.
 * - The environment goes back to what the worker had before its first file (global setup's
 *   endpoints included): nine files set env vars for the handlers they import.
 * - Our modules are evaluated again for each file (`vi.resetModules`): handlers read their env at
 *   import, and a module-level client or cache must not outlive its file. Libraries from
 *   node_modules (the AWS SDK, aws-cdk-lib) are loaded by Node itself and stay loaded, which is
 *   the point: importing them in every file's new process cost most of the CPU saved.
 */
import { vi } from 'vitest';

const PRISTINE = Symbol.for('registry-notices.test.worker-env');
const holder = globalThis as typeof globalThis & { [PRISTINE]?: Readonly<Record<string, string | undefined>> };

const pristine = holder[PRISTINE];
if (pristine === undefined) {
  holder[PRISTINE] = { ...process.env };
} else {
  for (const key of Object.keys(process.env)) if (!(key in pristine)) delete process.env[key];
  for (const [key, value] of Object.entries(pristine)) if (value !== undefined) process.env[key] = value;
  vi.resetModules();
}
