/** One line of a file, with where the next one starts. */
export interface SourceLine {
  /** 1-based. */
  readonly lineNumber: number;
  /** The line without its line break (`\n` or `\r\n`); empty when `oversized`. */
  readonly text: string;
  /** Byte offset just after this line's line break: where reading resumes. */
  readonly endOffset: number;
  /** Longer than the reader's limit: its content was skipped, never held in memory. */
  readonly oversized: boolean;
}

export interface ReadLinesOptions {
  /** Byte offset of the first byte of `chunks` in the file. @default 0 */
  readonly startOffset?: number;
  /** Line number of the first line of `chunks`. @default 1 */
  readonly startLine?: number;
  /** Lines longer than this (bytes) are reported `oversized` and skipped. */
  readonly maxLineBytes: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream (a file, an S3 object from an offset) into lines with their byte
 * offsets, in memory bounded by `maxLineBytes` plus one chunk. Hand-written rather than
 * `node:readline` because a resumable import needs the byte offset where each line ends
 * (readline gives text only), and a line without an end must not fill the memory.
 * Splitting on the byte 0x0A is safe in UTF-8: no multi-byte character contains it.
 *
 * @example
 * for await (const line of readLines(createReadStream(file), { maxLineBytes: 65_536 })) console.log(line.lineNumber, line.text);
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: ReadLinesOptions): AsyncGenerator<SourceLine> {
  let offset = options.startOffset ?? 0;
  let lineNumber = options.startLine ?? 1;
  let parts: Buffer[] = [];
  let length = 0;
  let oversized = false;

  const finish = (end: number): SourceLine => {
    let bytes = oversized ? Buffer.alloc(0) : Buffer.concat(parts, length);
    if (bytes.at(-1) === CR) bytes = bytes.subarray(0, -1);
    const line = { lineNumber, text: bytes.toString('utf8'), endOffset: end, oversized };
    lineNumber += 1;
    parts = [];
    length = 0;
    oversized = false;
    return line;
  };

  for await (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let i = buffer.indexOf(NEWLINE); i !== -1; i = buffer.indexOf(NEWLINE, start)) {
      take(buffer.subarray(start, i));
      yield finish(offset + i + 1);
      start = i + 1;
    }
    take(buffer.subarray(start));
    offset += buffer.byteLength;
  }
  if (length > 0 || oversized) yield finish(offset);

  function take(piece: Buffer): void {
    if (piece.byteLength === 0 || oversized) return;
    if (length + piece.byteLength > options.maxLineBytes) {
      oversized = true;
      parts = [];
      length = 0;
      return;
    }
    // A copy: the chunk's memory is the stream's to reuse.
    parts.push(Buffer.from(piece));
    length += piece.byteLength;
  }
}
