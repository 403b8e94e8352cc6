import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/** A log file a line at a time, optionally echoed to the terminal. */
export interface LineLog {
  (line: string): void;
  close(): Promise<void>;
}

/**
 * Opens (truncates) `<directory>/<name>.log` and returns a function writing one
 * timestamped line per call; with `echo`, each line is also printed with `prefix`.
 *
 * @example
 * const log = openLineLog('.local/logs', 'functions', { echo: true, prefix: '[fn] ' });
 * log('START RequestId: ...');
 * await log.close();
 */
export function openLineLog(directory: string, name: string, options: { echo?: boolean; prefix?: string } = {}): LineLog {
  mkdirSync(directory, { recursive: true });
  const stream: WriteStream = createWriteStream(path.join(directory, `${name}.log`), { flags: 'w' });
  const log = ((line: string) => {
    stream.write(`${new Date().toISOString()} ${line}\n`);
    if (options.echo) console.log(`${options.prefix ?? ''}${line}`);
  }) as LineLog;
  log.close = () => new Promise<void>((resolve) => stream.end(resolve));
  return log;
}
