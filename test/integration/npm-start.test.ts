import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortFree, type LocalStackState, SYNTH_STAMP_FILE } from '@registry-notices/local-stack';
import { bundledAssembly } from '../support/bundled-stack';
import { processTree, stillRunning } from '../support/process-tree';

const REPO_ROOT = path.join(import.meta.dirname, '..', '..');
const FREE_PORTS = ['--sqs-port', '0', '--ses-port', '0', '--dynamodb-port', '0', '--ssm-port', '0', '--kms-port', '0', '--function-url-port', '0'];

/** `npm start -- <args>` as a user runs it, its output collected. */
interface NpmStart {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once npm has exited. */
  readonly exited: Promise<number | null>;
}

function npmStart(args: readonly string[]): NpmStart {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: `${path.join(REPO_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // 'exit', not 'close': a process npm leaves behind would keep the pipes open.
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  return { child, output: () => output, exited };
}

/** Resolves once `pattern` shows in the output; rejects, with the output, if npm exits first. */
async function untilPrinted(start: NpmStart, pattern: RegExp): Promise<void> {
  while (!pattern.test(start.output())) {
    const code = await Promise.race([start.exited, new Promise((resolve) => setTimeout(resolve, 200, 'waiting'))]);
    if (code !== 'waiting') throw new Error(`npm start exited (${String(code)}) before printing ${pattern}:\n${start.output()}`);
  }
}

/** Waits (up to `ms`) for every one of `pids` to be gone; returns those still running. */
async function untilGone(pids: readonly number[], ms: number): Promise<ReturnType<typeof stillRunning>> {
  const deadline = Date.now() + ms;
  let left = stillRunning(pids);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = stillRunning(pids);
  }
  return left;
}

describe('npm start (the entry a newcomer runs)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  const cdkOut = path.join(work, 'cdk.out');

  // A copy of the run's default assembly, made by the very function npm start uses
  // (synthesizeUnlessUnchanged: `cdk synth` and its stamp; test/support/bundled-stack.ts), so each
  // start below skips the synth. A copy: a start that did synthesize (a source edited meanwhile)
  // must not rewrite the assembly the other files run.
  beforeAll(async () => {
    cpSync(await bundledAssembly({}), cdkOut, { recursive: true });
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('--once comes up from the synthesized template without synthesizing it again, plays the demo, holds every expectation and exits 0', async () => {
    // Act
    const start = npmStart([
      '--once',
      ...FREE_PORTS,
      ...['--cdk-out', cdkOut, '--state', path.join(work, 'once.json'), '--logs', path.join(work, 'once-logs')],
    ]);
    const code = await start.exited;

    // Assess
    const output = start.output();
    expect(existsSync(path.join(cdkOut, SYNTH_STAMP_FILE))).toBe(true);
    expect(output).toMatch(/cdk synth skipped: sources unchanged since \d{4}-\d\d-\d\dT/);
    expect(output).toContain('Done: every expectation held.');
    // Three notices (one bounced), and the apology of the corrected past (cli/demo/history.json).
    expect(output).toMatch(/sent +3 +\(emails in the mail viewer: 4\)/);
    expect(output).toMatch(/suppressed by SES events 1/);
    expect(output).toMatch(/four later changes +incident inc-later-changes-\w+: 4 notices, 0 to apologise to/);
    expect(output).toMatch(/a correction of the past +incident inc-correction-\w+: 1 notice, 1 to apologise to/);
    expect(output).toMatch(/quarantined +3/);
    expect(output).toMatch(/function URL +http:\/\/127\.0\.0\.1:\d+\/ \(\w+, auth AWS_IAM\)/);
    expect(output).not.toMatch(/^ +FAIL/m);
    expect(code).toBe(0);
  }, 180_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the npm process stops every process it started and frees every port',
    async (signal) => {
      // Prepare
      const stateFile = path.join(work, `${signal}.json`);
      const start = npmStart(['--no-demo', ...FREE_PORTS, '--cdk-out', cdkOut, '--state', stateFile, '--logs', path.join(work, `${signal}-logs`)]);
      let started: number[] = [];
      try {
        await untilPrinted(start, /^Running\./m);
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as LocalStackState;
        const tree = processTree(start.child.pid!);
        started = tree.map((p) => p.pid);

        // Act
        process.kill(start.child.pid!, signal);
        const code = await start.exited;
        const left = await untilGone(started, 30_000);

        // Assess: the tree held what must stop (so "nothing left" means something), and nothing is left
        expect(tree.some((p) => /DynamoDBLocal/.test(p.command))).toBe(true);
        // The SES emulator runs as aws-ses-v2-local inside our wrapper (local/emulators/ses-process.ts).
        expect(tree.some((p) => /emulators\/ses-process\.ts/.test(p.command))).toBe(true);
        expect(tree.some((p) => /cli\/start\/start\.ts/.test(p.command))).toBe(true);
        expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
        for (const endpoint of [...Object.values(state.endpoints), ...Object.values(state.functionUrls ?? {}).map((u) => u.url)]) {
          await expect(assertPortFree('sqs', Number(new URL(endpoint).port), '127.0.0.1')).resolves.toBeUndefined();
        }
        expect(start.output()).toContain(`${signal}: stopping the functions and the emulators`);
        expect(start.output()).toMatch(/^Stopped\.$/m);
        expect(existsSync(stateFile)).toBe(false);
        expect(code).toBe(0);
      } finally {
        // Whatever a failed run left behind, by pid.
        const leftovers = started.length > 0 ? stillRunning(started) : processTree(start.child.pid!);
        for (const { pid } of leftovers) process.kill(pid, 'SIGKILL');
      }
    },
    180_000,
  );
});
