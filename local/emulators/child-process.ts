import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { EmulatorName } from './names';

/** How a child process ended. `error` is set when it could not be spawned at all. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A spawned emulator process with its recent output kept for error messages. */
export interface ManagedChild {
  readonly pid: number | undefined;
  /** Settles once the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  hasExited(): boolean;
  /** The last lines the process wrote to stdout/stderr, oldest first. */
  lastOutput(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const KEPT_LINES = 20;

/** Wraps a freshly spawned process (stdout/stderr piped) so it can be watched and stopped. */
export function manageChild(
  emulator: EmulatorName,
  child: ChildProcess,
  log: (line: string) => void,
): ManagedChild {
  const recent: string[] = [];
  const keep = (line: string): void => {
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
    log(`[${emulator}] ${line}`);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', keep);
  }

  let done = false;
  let stopping: Promise<void> | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      // 'error' without a prior spawn means the binary could not be started (ENOENT, EACCES).
      if (child.pid === undefined) {
        done = true;
        resolve({ code: null, signal: null, error });
      }
    });
    // 'close', not 'exit': it comes after stdout/stderr are drained, so lastOutput() is complete.
    child.once('close', (code, signal) => {
      done = true;
      // Said here because nothing else reports a crash after startup.
      if (!stopping) log(`[${emulator}] exited unexpectedly (${signal ?? `code ${code}`})`);
      resolve({ code, signal });
    });
  });

  return {
    pid: child.pid,
    exited,
    hasExited: () => done,
    lastOutput: () => [...recent],
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (done) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
