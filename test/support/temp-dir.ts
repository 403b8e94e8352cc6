import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Temporary directories a test file makes, removed when the file ends by test/remove-temp-dirs.ts
 * (a setup file of every project, whose `afterAll` runs after the file's own): a run leaves
 * nothing behind in the OS temp directory. The list is kept on `globalThis` so the setup file and
 * the test file see the same one however vitest loads this module.
 */
const TEMP_DIRS = Symbol.for('registry-notices.test.tempDirs');
type WithTempDirs = typeof globalThis & { [TEMP_DIRS]?: Set<string> };

function made(): Set<string> {
  const holder = globalThis as WithTempDirs;
  return (holder[TEMP_DIRS] ??= new Set());
}

/**
 * A new directory in the OS temp directory (`prefix` and a random part), removed when the
 * test file ends.
 *
 * @example
 * const file = path.join(testTempDir('seed-'), 'seed.json');
 */
export function testTempDir(prefix: string): string {
  return removedAfterFile(mkdtempSync(path.join(tmpdir(), prefix)));
}

/**
 * `dir` (made by someone else, e.g. writeFakeAssembly), removed with its contents when the test
 * file ends. Returns it.
 *
 * @example
 * local = await startOnEmulators(removedAfterFile(writeFakeAssembly('Runner', template, bundles)), 't');
 */
export function removedAfterFile(dir: string): string {
  made().add(dir);
  return dir;
}

/** Removes every directory {@link testTempDir} and {@link removedAfterFile} were given so far. */
export function removeTestTempDirs(): void {
  const dirs = made();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
