// One cold start, in a fresh process as Lambda gives a new execution environment: import the
// bundle (module scope runs: clients, configuration, logger) and report how long that took.
// Plain JavaScript, run by plain Node: no loader of the bench's own in the way.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [file, exportName] = process.argv.slice(2);
const started = performance.now();
const module = await import(pathToFileURL(file).href);
const initMs = performance.now() - started;
if (typeof module[exportName] !== 'function') throw new Error(`${file} exports no function ${exportName}`);
process.stdout.write(`${JSON.stringify({ initMs })}\n`);
