// CPU time of this process's threads and of its child processes (the emulators), from Linux's
// /proc: where a benchmark's CPU went. Elsewhere the readings are empty.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) by name: `main thread`, `other threads` (workers, GC, libuv), and each child by command. */
export type CpuSeconds = Record<string, number>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

// Fields after the command (which may hold spaces, in parentheses): state, ppid, …, utime (14), stime (15).
function statOf(file: string): { comm: string; ppid: number; seconds: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  return { comm, ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

function children(): { pid: number; label: string; seconds: number }[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const stats = new Map(pids.flatMap((pid) => {
    const stat = statOf(`/proc/${pid}/stat`);
    return stat ? [[pid, stat] as const] : [];
  }));
  const descends = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid, hops = 0; p !== undefined && hops < 10; p = stats.get(p)?.ppid, hops += 1) if (p === process.pid) return true;
    return false;
  };
  return [...stats].filter(([pid]) => descends(pid)).map(([pid, stat]) => {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // `java … DynamoDBLocal.jar`, `node …/ses-process.ts`: the script or jar names the emulator.
    const named = cmdline.find((arg) => /\.(jar|ts|js|mjs)$/.test(arg))?.split('/').at(-1);
    return { pid, label: `${stat.comm}${named ? ` ${named}` : ''}`, seconds: stat.seconds };
  });
}

/** A reading now: this process's threads and every live descendant process. */
export function readCpu(): CpuSeconds {
  const out: CpuSeconds = {};
  const add = (label: string, seconds: number): void => {
    out[label] = (out[label] ?? 0) + seconds;
  };
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = statOf(`/proc/self/task/${tid}/stat`);
      if (stat) add(Number(tid) === process.pid ? 'main thread' : 'other threads (function workers, GC, libuv)', stat.seconds);
    }
  } catch {
    return out;
  }
  for (const child of children()) add(child.label, child.seconds);
  return out;
}

/** Peak resident memory so far, MB (`VmHWM`): this process (its main thread and every execution environment together), and each live descendant by command. */
export function readPeakRss(): Record<string, number> {
  const hwm = (pid: number | 'self'): number | undefined => {
    try {
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
    } catch {
      return undefined;
    }
  };
  const out: Record<string, number> = {};
  const self = hwm('self');
  if (self !== undefined) out['this process (main thread + function environments)'] = self;
  for (const child of children()) {
    const mb = hwm(child.pid);
    if (mb !== undefined) out[child.label] = Math.max(out[child.label] ?? 0, mb);
  }
  return out;
}

/** What each reading's label used between two readings, seconds, largest first. */
export function cpuBetween(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  const rows = Object.entries(after)
    .map(([label, seconds]) => [label, Math.round((seconds - (before[label] ?? 0)) * 100) / 100] as const)
    .filter(([, seconds]) => seconds > 0)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows);
}
