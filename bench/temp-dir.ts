import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A new directory in the OS temp directory (`prefix` and a random part), removed when the bench
 * process exits, whether main returned, threw or called process.exit: a bench's synth or bundles
 * (tens of MB) are not left in /tmp after every run. (A kill by signal skips `exit` handlers.)
 *
 * @example
 * const cloudAssembly = await synthesize({ outdir: benchTempDir('bench-cdk-out-') });
 */
export function benchTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  // `exit` handlers run synchronously, hence rmSync.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
