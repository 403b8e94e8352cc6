import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { isProcessRunning } from '@registry-notices/local-stack';

/** How long a file waits for another file's synth. */
const WAIT_MS = 240_000;

/** The file in a lock directory that names the process producing the result. */
const OWNER_FILE = 'owner.pid';

/**
 * `produce(dir)` once per test run for `name`, in the run's directory from global setup: the
 * first file of the run that asks runs it, the others wait until it is done and share the
 * result (read only). Files run in separate processes: `mkdir` of the lock is the one atomic
 * step, a `.done` file the signal, a `.failed` file the error for the others.
 *
 * The lock names its owner's pid. A file that failed before its synth ended (its browser would
 * not start, say) ends its process with the synth half done and neither signal written: the
 * others waited out their hooks (3 files × 3-4 minutes, seen 2026-12-08 on a box without
 * Chromium). A waiter that finds the owner gone takes the work over instead.
 */
export function oncePerRun(name: string, produce: (dir: string) => Promise<void>): Promise<string> {
  return oncePerRunIn(inject('bundledAssemblies'), name, produce);
}

/** {@link oncePerRun} in the directory `root`. */
export async function oncePerRunIn(root: string, name: string, produce: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(root, name);
  const lock = path.join(root, `${name}.lock`);
  const done = path.join(root, `${name}.done`);
  const failed = path.join(root, `${name}.failed`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (takeLock(lock)) {
      try {
        rmSync(dir, { recursive: true, force: true }); // what an owner that died left half written
        await produce(dir);
        writeFileSync(done, dir);
      } catch (error) {
        writeFileSync(failed, String((error as Error).stack ?? error));
        throw error;
      }
      return dir;
    }
    if (existsSync(done)) return dir;
    if (existsSync(failed)) throw new Error(`${name} failed in another file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${name} not done within ${WAIT_MS} ms by another file (${dir})`);
    const gone = deadOwner(lock);
    if (gone !== undefined) {
      // Of the waiters that saw this owner gone, the one whose mkdir of the takeover mark for its
      // pid succeeds moves the stale lock away and takes the next; the others wait for it.
      try {
        mkdirSync(`${lock}.takeover-${gone}`);
        renameSync(lock, `${lock}.stale-${gone}`);
        continue;
      } catch {
        // another waiter is taking over
      }
    }
    await sleep(250);
  }
}

/** Creates the lock with this process's pid in it; false when another process holds it. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    return false;
  }
  writeFileSync(path.join(lock, OWNER_FILE), String(process.pid));
  return true;
}

/** The pid of the lock's owner if that process has ended. A lock just made may not hold its pid yet: that owner is alive. */
function deadOwner(lock: string): number | undefined {
  let owner: number;
  try {
    owner = Number(readFileSync(path.join(lock, OWNER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  return Number.isInteger(owner) && owner > 0 && !isProcessRunning(owner) ? owner : undefined;
}
