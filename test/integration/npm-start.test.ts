import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.join(import.meta.dirname, '..', '..');

/** Runs the `npm start` entry as a user would, on free ports, and collects what it prints. */
function runStart(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['local/stack/start.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: `${path.join(REPO_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm start -- --once (the entry a newcomer runs)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('comes up from the synthesized template, plays the demo, holds every expectation and exits 0', async () => {
    // Act
    const { code, output } = await runStart([
      '--once',
      ...['--sqs-port', '0', '--ses-port', '0', '--dynamodb-port', '0', '--ssm-port', '0', '--function-url-port', '0'],
      ...['--cdk-out', path.join(work, 'cdk.out'), '--state', path.join(work, 'stack.json'), '--logs', path.join(work, 'logs')],
    ]);

    // Assess
    expect(output).toContain('Done: every expectation held.');
    expect(output).toMatch(/sent +2 +\(emails in the mail viewer: 2\)/);
    expect(output).toMatch(/quarantined +3/);
    expect(output).toMatch(/function URL +http:\/\/127\.0\.0\.1:\d+\/ \(\w+, auth AWS_IAM\)/);
    expect(output).not.toMatch(/^ +FAIL/m);
    expect(code).toBe(0);
  }, 180_000);
});
