import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

/** How long a file waits for another file's synth. */
const WAIT_MS = 240_000;

/**
 * `produce(dir)` once per test run for `name`, in the run's directory from global setup: the
 * first file of the run that asks runs it, the others wait until it is done and share the
 * result (read only). Files run in separate processes: `mkdir` of the lock is the one atomic
 * step, a `.done` file the signal, a `.failed` file the error for the others.
 */
export async function oncePerRun(name: string, produce: (dir: string) => Promise<void>): Promise<string> {
  const root = inject('bundledAssemblies');
  const dir = path.join(root, name);
  const done = path.join(root, `${name}.done`);
  const failed = path.join(root, `${name}.failed`);
  let mine = true;
  try {
    mkdirSync(path.join(root, `${name}.lock`));
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      await produce(dir);
      writeFileSync(done, dir);
    } catch (error) {
      writeFileSync(failed, String((error as Error).stack ?? error));
      throw error;
    }
    return dir;
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(done)) return dir;
    if (existsSync(failed)) throw new Error(`${name} failed in another file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${name} not done within ${WAIT_MS} ms by another file (${dir})`);
    await sleep(250);
  }
}
