import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

// Runs in a separate, detached Node process: it holds the read end of a pipe from us, and
// when that pipe closes (we exited, crashed or were SIGKILLed) it kills every pid still listed.
const REAPER_SCRIPT = `
const pids = new Set();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
`;

/**
 * Guarantees emulator child processes die with their parent, however the parent dies.
 * Node has no PR_SET_PDEATHSIG, and an `exit` handler does not run on SIGKILL or unhandled
 * signals, so a tiny watchdog process does it instead.
 */
export class Reaper {
  private readonly process: ChildProcess;
  private closed = false;

  constructor() {
    this.process = spawn(process.execPath, ['-e', REAPER_SCRIPT], {
      detached: true, // own process group: survives the Ctrl-C that kills us, to clean up after
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // Neither the watchdog nor its pipe may keep our event loop alive.
    this.process.unref();
    (this.process.stdin as Socket | null)?.unref();
    this.process.stdin?.on('error', () => {}); // EPIPE if it died first: nothing to do
  }

  /** Kill `pid` if this process dies before {@link release} is called for it. */
  watch(pid: number | undefined): void {
    if (pid !== undefined && !this.closed) this.process.stdin?.write(`+${pid}\n`);
  }

  /** `pid` has been stopped properly: forget it (its number may be reused). */
  release(pid: number | undefined): void {
    if (pid !== undefined && !this.closed) this.process.stdin?.write(`-${pid}\n`);
  }

  /** Ends the watchdog; it kills whatever is still watched, normally nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.process.stdin?.end();
  }
}
