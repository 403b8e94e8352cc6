import { describe, expect, it } from 'vitest';
import { importLines } from '../../../lambdas/platform/line-import/import-lines';
import { readLines, type SourceLine } from '../../../lambdas/platform/line-import/read-lines';
import type { LineHandler, LineOutcome } from '../../../lambdas/platform/line-import/line-handler';

/** A byte stream cut into chunks of `size` bytes, so lines (and characters) straddle them. */
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const collect = async (lines: AsyncIterable<SourceLine>): Promise<SourceLine[]> => {
  const out: SourceLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

/** Applies lines that are JSON objects, refuses the rest, remembers what it saw. */
function recordingHandler(): LineHandler & { seen: number[] } {
  const seen: number[] = [];
  return {
    name: 'test lines',
    seen,
    handle: async (text: string, lineNumber: number): Promise<LineOutcome> => {
      seen.push(lineNumber);
      if (text.startsWith('{')) return { kind: text.includes('"old"') ? 'UNCHANGED' : 'APPLIED' };
      return { kind: 'REFUSED', issues: [{ field: '(line)', rule: 'must be valid JSON' }] };
    },
  };
}

describe('readLines', () => {
  it('gives each line with its number and the byte offset after it, across chunks, CRLF and multi-byte characters', async () => {
    // Act
    const lines = await collect(readLines(chunked('{"a":"Ä"}\r\n\n{"b":2}\nlast', 3), { maxLineBytes: 100 }));

    // Assess
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"a":"Ä"}', endOffset: 12, oversized: false },
      { lineNumber: 2, text: '', endOffset: 13, oversized: false },
      { lineNumber: 3, text: '{"b":2}', endOffset: 21, oversized: false },
      { lineNumber: 4, text: 'last', endOffset: 25, oversized: false },
    ]);
  });

  it('skips the content of a line longer than the limit without holding it, and goes on with the next', async () => {
    // Act
    const lines = await collect(readLines(chunked(`${'x'.repeat(50)}\nok\n`, 7), { maxLineBytes: 10 }));

    // Assess
    expect(lines.map(({ lineNumber, text, oversized }) => ({ lineNumber, text, oversized }))).toEqual([
      { lineNumber: 1, text: '', oversized: true },
      { lineNumber: 2, text: 'ok', oversized: false },
    ]);
  });

  it('continues numbering and offsets from where a resumed read starts', async () => {
    // Act
    const [line] = await collect(readLines(chunked('{"c":3}\n', 4), { startOffset: 100, startLine: 8, maxLineBytes: 100 }));

    // Assess
    expect(line).toEqual({ lineNumber: 8, text: '{"c":3}', endOffset: 108, oversized: false });
  });
});

describe('importLines', () => {
  it('counts applied, unchanged and refused lines, each refusal with its line, field and rule; blank lines are not lines', async () => {
    // Prepare
    const text = '{"new":1}\n\n{"old":1}\nnot json\n{"new":2}\n';

    // Act
    const { report, position, done } = await importLines(readLines(chunked(text, 5), { maxLineBytes: 100 }), recordingHandler(), { concurrency: 2, maxLineBytes: 100 });

    // Assess
    expect(done).toBe(true);
    expect(report).toEqual({ lines: 4, applied: 2, unchanged: 1, refused: 1, issues: [{ line: 4, field: '(line)', rule: 'must be valid JSON' }], issuesTruncated: false });
    expect(position).toEqual({ nextLine: 6, nextOffset: Buffer.byteLength(text) });
  });

  it('refuses an oversized line by its size and keeps at most maxIssues issues', async () => {
    // Act
    const { report } = await importLines(readLines(chunked(`${'y'.repeat(20)}\nbad\nbad\n`, 4), { maxLineBytes: 10 }), recordingHandler(), { maxLineBytes: 10, maxIssues: 2 });

    // Assess
    expect(report.issues).toEqual([
      { line: 1, field: '(line)', rule: 'must be at most 10 bytes' },
      { line: 2, field: '(line)', rule: 'must be valid JSON' },
    ]);
    expect(report.issuesTruncated).toBe(true);
    expect(report.refused).toBe(3);
  });

  it('stops after a window when asked, at a position from which a second run handles exactly the rest', async () => {
    // Prepare
    const text = Array.from({ length: 10 }, (_, i) => `{"new":${i}}`).join('\n');
    const first = recordingHandler();
    const second = recordingHandler();

    // Act
    const stopped = await importLines(readLines(chunked(text, 6), { maxLineBytes: 100 }), first, { concurrency: 4, maxLineBytes: 100, shouldStop: () => true });
    const bytes = Buffer.from(text).subarray(stopped.position!.nextOffset);
    const rest = await importLines(
      readLines(chunked(bytes.toString(), 6), { startOffset: stopped.position!.nextOffset, startLine: stopped.position!.nextLine, maxLineBytes: 100 }),
      second,
      { concurrency: 4, maxLineBytes: 100, report: stopped.report },
    );

    // Assess
    expect(stopped.done).toBe(false);
    expect(first.seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(second.seen.sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(rest).toMatchObject({ done: true, report: { lines: 10, applied: 10 } });
  });
});
