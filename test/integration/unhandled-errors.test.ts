import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.join(import.meta.dirname, '..', '..');
const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

/** The parts of vitest's JSON report read here. */
interface JsonReport {
  readonly success: boolean;
  readonly testResults: readonly {
    readonly status: string;
    readonly message: string;
    readonly assertionResults: readonly { readonly title: string; readonly status: string; readonly failureMessages: readonly string[] }[];
  }[];
}

describe('a stray error during the tests (test/fail-on-unhandled-errors.ts)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'unhandled-errors-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('fails the test it surfaced in, naming it, and the file for one outside any test', async () => {
    // Prepare
    const reportFile = path.join(work, 'report.json');

    // Act: the fixture's own vitest run, with the setup file every project of ours uses
    const exitCode = await new Promise<number | null>((resolve) => {
      const child = execFile(
        path.join(BIN, 'vitest'),
        ['run', '--config', 'test/fixtures/unhandled-errors/vitest.config.ts', '--reporter=json', `--outputFile=${reportFile}`],
        { cwd: REPO_ROOT, env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` } },
      );
      child.once('close', resolve);
    });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    const [file] = report.testResults;
    const test = (title: string) => file?.assertionResults.find((result) => result.title === title);

    // Assess
    expect(exitCode).toBe(1);
    expect(report.success).toBe(false);
    expect(test('leaves a rejection unhandled while it awaits something else')).toMatchObject({ status: 'failed' });
    expect(test('leaves a rejection unhandled while it awaits something else')?.failureMessages.join('\n')).toContain(
      'unhandled rejection while "stray errors > leaves a rejection unhandled while it awaits something else" ran: Error: nobody handled me in time',
    );
    expect(test('lets an exception escape a timer callback')?.failureMessages.join('\n')).toContain(
      'uncaught exception while "stray errors > lets an exception escape a timer callback" ran: Error: escaped a timer',
    );
    expect(test('handles every rejection it creates')).toMatchObject({ status: 'passed', failureMessages: [] });
    expect(test('leaves fake timers on')).toMatchObject({ status: 'passed', failureMessages: [] });
    expect(file?.status).toBe('failed');
    expect(file?.message).toContain('unhandled rejection before any test ran: Error: rejected at import');
  });
});
