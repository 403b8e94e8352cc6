/** Where progress goes: a terminal gets a bar redrawn in place, anything else one line per update. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/**
 * A progress bar for `campaign run`, or plain lines when stdout is not a terminal
 * (a pipe, a CI log) so the output stays readable there.
 *
 * @example
 * const bar = new ProgressBar(process.stdout, 'apologies');
 * bar.update(3, 10); bar.done();
 */
export class ProgressBar {
  #last = '';

  constructor(
    private readonly out: ProgressOutput,
    private readonly label: string,
  ) {}

  update(done: number, total: number, note = ''): void {
    const line = renderProgress(done, total, this.label, note, this.out.isTTY ? Math.min(40, Math.max(10, (this.out.columns ?? 80) - 50)) : 0);
    if (line === this.#last) return;
    this.#last = line;
    this.out.write(this.out.isTTY ? `\r\u001b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.out.isTTY && this.#last) this.out.write('\n');
  }
}

/**
 * One progress line; `width` 0 means no bar (plain text).
 *
 * @example
 * renderProgress(3, 12, 'apologies', '', 12) // '[###.........]  3/12 apologies (25%)'
 */
export function renderProgress(done: number, total: number, label: string, note: string, width: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const count = `${String(done).padStart(String(total).length)}/${total} ${label} (${Math.round(share * 100)}%)`;
  const bar = width > 0 ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ` : '';
  return `${bar}${count}${note ? ` ${note}` : ''}`;
}
