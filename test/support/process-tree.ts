import { execFileSync } from 'node:child_process';

/** One process as `ps` lists it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** `ps`'s state letters: `Z` is a zombie (exited, not yet reaped). */
  readonly state: string;
  readonly command: string;
}

/** Every process on the machine, from `ps` (Linux and macOS alike). */
export function listProcesses(): ProcessInfo[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return text.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), state: match[3]!, command: match[4]! }] : [];
  });
}

/** `root` and everything below it, as the process tree stands now. */
export function processTree(root: number): ProcessInfo[] {
  const all = listProcesses();
  const tree = all.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i += 1) tree.push(...all.filter((p) => p.ppid === tree[i]!.pid));
  return tree;
}

/** Those of `pids` still running (zombies count as gone: they have exited). */
export function stillRunning(pids: readonly number[]): ProcessInfo[] {
  const wanted = new Set(pids);
  return listProcesses().filter((p) => wanted.has(p.pid) && !p.state.startsWith('Z'));
}
