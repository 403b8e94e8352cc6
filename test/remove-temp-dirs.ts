/**
 * Setup file of every vitest project: when a test file ends, its temporary directories go
 * (test/support/temp-dir.ts), and so do the `cdk.out*` directories aws-cdk-lib made in the OS
 * temp directory for each `App` built without an `outdir`. aws-cdk-lib removes those itself only
 * on the process's `exit` event, which a vitest worker, ended by vitest, never emits: thousands
 * piled up in /tmp. `CloudAssembly.cleanupTemporaryDirectories` is its documented way out
 * for test runners (its doc names jest's `afterAll`).
 *
 * Registered before the test file's own hooks, this `afterAll` runs after them (vitest runs
 * "after" hooks in reverse order): a file's stacks are stopped before their directories go.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll } from 'vitest';
import { removeTestTempDirs } from './support/temp-dir';

const require = createRequire(import.meta.url);
/** aws-cdk-lib's module that makes (and lists) the temporary assemblies. */
const CLOUD_ASSEMBLY_MODULE = `${path.sep}@aws-cdk${path.sep}cloud-assembly-api${path.sep}`;

afterAll(async () => {
  removeTestTempDirs();
  // Only in a worker that has loaded it (with isolate: false, any earlier file of the worker): most
  // files build no App, and importing cx-api costs them ~25 ms.
  if (Object.keys(require.cache).some((id) => id.includes(CLOUD_ASSEMBLY_MODULE))) {
    const { CloudAssembly } = await import('aws-cdk-lib/cx-api');
    CloudAssembly.cleanupTemporaryDirectories();
  }
});
