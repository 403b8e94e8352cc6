import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { oncePerRunIn } from '../../support/once-per-run';
import { testTempDir } from '../../support/temp-dir';

/** The pid of a process that has ended. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

/** A lock as a file whose process then ended left it: its pid, and half an assembly. */
function staleLock(root: string, name: string): void {
  mkdirSync(path.join(root, `${name}.lock`));
  writeFileSync(path.join(root, `${name}.lock`, 'owner.pid'), String(endedPid()));
  mkdirSync(path.join(root, name));
  writeFileSync(path.join(root, name, 'half-written'), '');
}

describe('oncePerRun: one synth per run, shared by the files', () => {
  it('takes the work over, once, when the file that held the lock ended before it was done', async () => {
    // Prepare
    const root = testTempDir('once-per-run-');
    staleLock(root, 'bundled-x');
    let produced = 0;
    const produce = async (dir: string) => {
      produced += 1;
      await sleep(50);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'template.json'), '{}');
    };

    // Act: two waiters at once, as two files would be
    const dirs = await Promise.all([oncePerRunIn(root, 'bundled-x', produce), oncePerRunIn(root, 'bundled-x', produce)]);

    // Assess
    expect(produced).toBe(1);
    expect(dirs).toEqual([path.join(root, 'bundled-x'), path.join(root, 'bundled-x')]);
    expect(existsSync(path.join(root, 'bundled-x', 'template.json'))).toBe(true);
    expect(existsSync(path.join(root, 'bundled-x', 'half-written'))).toBe(false);
    expect(readFileSync(path.join(root, 'bundled-x.done'), 'utf8')).toBe(path.join(root, 'bundled-x'));
  });

  it('waits for an owner that is still running, and does not produce again', async () => {
    // Prepare: this process holds the lock, as a file still synthesizing would
    const root = testTempDir('once-per-run-');
    mkdirSync(path.join(root, 'bundled-y.lock'));
    writeFileSync(path.join(root, 'bundled-y.lock', 'owner.pid'), String(process.pid));
    let produced = 0;

    // Act
    const waiting = oncePerRunIn(root, 'bundled-y', async () => {
      produced += 1;
    });
    await sleep(600);
    writeFileSync(path.join(root, 'bundled-y.done'), path.join(root, 'bundled-y'));

    // Assess
    await expect(waiting).resolves.toBe(path.join(root, 'bundled-y'));
    expect(produced).toBe(0);
  });

  it("passes the owner's failure on to the waiters", async () => {
    // Prepare
    const root = testTempDir('once-per-run-');
    const failing = oncePerRunIn(root, 'bundled-z', () => Promise.reject(new Error('synth failed: no esbuild')));

    // Act
    const waiter = oncePerRunIn(root, 'bundled-z', async () => undefined);

    // Assess
    await expect(failing).rejects.toThrow('synth failed: no esbuild');
    await expect(waiter).rejects.toThrow(/bundled-z failed in another file:\n.*synth failed: no esbuild/);
  });
});
