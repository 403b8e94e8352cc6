// One cold start for bench/lean-breakdown.ts, in a fresh process: import the bundle, then (if
// asked) call its `firstUse` export once. Reports wall time and this thread's CPU time of each,
// since on a shared box the CPU time moves less with the load than the wall time does.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [file, exportName, callFirstUse] = process.argv.slice(2);
const cpuMs = (since) => {
  const used = process.threadCpuUsage(since);
  return (used.user + used.system) / 1000;
};
let cpu = process.threadCpuUsage();
let started = performance.now();
const module = await import(pathToFileURL(file).href);
const initMs = performance.now() - started;
const initCpuMs = cpuMs(cpu);
if (typeof module[exportName] !== 'function') throw new Error(`${file} exports no function ${exportName}`);
let firstUseMs;
let firstUseCpuMs;
if (callFirstUse === 'first-use') {
  cpu = process.threadCpuUsage();
  started = performance.now();
  module.firstUse();
  firstUseMs = performance.now() - started;
  firstUseCpuMs = cpuMs(cpu);
}
process.stdout.write(`${JSON.stringify({ initMs, initCpuMs, firstUseMs, firstUseCpuMs })}\n`);
