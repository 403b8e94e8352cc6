import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfillFile } from '../../../cli/backfill/backfill-file';
import type { LineHandler } from '../../../lambdas/platform/line-import/line-handler';
import { testTempDir } from '../../support/temp-dir';

function snapshot(lines: number): string {
  const file = path.join(testTempDir('backfill-'), 'snapshot.jsonl');
  writeFileSync(file, Array.from({ length: lines }, (_, i) => `{"n":${i + 1}}`).join('\n') + '\n');
  return file;
}

/** Applies every line; throws once at `failAt` (a throttled write that gave up), as a crash would stop the run. */
function handler(failAt?: number): LineHandler & { seen: number[] } {
  const seen: number[] = [];
  let failed = false;
  return {
    name: 'test lines',
    seen,
    handle: async (_text, lineNumber) => {
      if (lineNumber === failAt && !failed) {
        failed = true;
        throw new Error('throttled');
      }
      seen.push(lineNumber);
      return { kind: 'APPLIED' };
    },
  };
}

describe('backfillFile', () => {
  it('loads a file and leaves a checkpoint that says it is done, with the report', async () => {
    // Prepare
    const file = snapshot(50);

    // Act
    const result = await backfillFile(file, handler(), { maxLineBytes: 1024, concurrency: 8, checkpointEveryMs: 0 });

    // Assess
    expect(result).toMatchObject({ done: true, position: { nextLine: 51 }, report: { lines: 50, applied: 50 } });
    expect(JSON.parse(readFileSync(`${file}.backfill.json`, 'utf8'))).toMatchObject({ done: true, report: { applied: 50 } });
  });

  it('resumes after a crash from its last checkpoint, handling every line at least once and none before the checkpoint again', async () => {
    // Prepare
    const file = snapshot(100);
    const first = handler(45);
    await expect(backfillFile(file, first, { maxLineBytes: 1024, concurrency: 10, checkpointEveryMs: 0 })).rejects.toThrow('throttled');
    const checkpoint = JSON.parse(readFileSync(`${file}.backfill.json`, 'utf8'));
    const second = handler();

    // Act
    const result = await backfillFile(file, second, { resume: true, maxLineBytes: 1024, concurrency: 10, checkpointEveryMs: 0 });

    // Assess
    expect(checkpoint).toMatchObject({ done: false, position: { nextLine: 41 } });
    expect(Math.min(...second.seen)).toBe(41);
    expect(new Set([...first.seen, ...second.seen]).size).toBe(100);
    expect(result).toMatchObject({ done: true, report: { lines: 100, applied: 100 } });
  });

  it('refuses to resume from the checkpoint of another file, or without one', async () => {
    // Prepare
    const file = snapshot(5);
    await backfillFile(file, handler(), { maxLineBytes: 1024, checkpointEveryMs: 0 });
    writeFileSync(file, '{"n":1}\n');

    // Act, Assess
    await expect(backfillFile(file, handler(), { resume: true, maxLineBytes: 1024 })).rejects.toThrow(/checkpoint of another file/);
    await expect(backfillFile(snapshot(1), handler(), { resume: true, maxLineBytes: 1024 })).rejects.toThrow(/No checkpoint/);
  });
});
