import path from 'node:path';
import { inject } from 'vitest';
import { LOCAL_AWS_REGION, writeStackState } from '@registry-notices/local-stack';
import { testTempDir } from './temp-dir';

/**
 * Writes a `.local/stack.json` for this test process (its pid, so the CLI finds it alive) with
 * the given outputs and this run's emulators, and returns its path: `--state` for the CLI. Without
 * `directory`, in one of its own, removed when the test file ends.
 */
export function writeTestStackState(outputs: Readonly<Record<string, string>>, stackName = 'RegistryNotices', directory?: string): string {
  const file = path.join(directory ?? testTempDir('stack-state-'), 'stack.json');
  writeStackState(file, {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    stackName,
    region: LOCAL_AWS_REGION,
    endpoints: inject('emulatorEndpoints'),
    sesViewerUrl: inject('sesViewerUrl'),
    outputs,
    resources: {},
  });
  return file;
}
