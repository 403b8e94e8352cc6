import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmulatorEndpoints } from '../emulators';
import { StackStateError } from '../errors';

/** Where `npm start` records the running local stack, for the CLI. */
export const DEFAULT_STATE_FILE = path.join('.local', 'stack.json');

/** What `npm start` records about the running local stack. */
export interface LocalStackState {
  readonly version: 1;
  readonly pid: number;
  readonly startedAt: string;
  readonly stackName: string;
  readonly region: string;
  readonly endpoints: EmulatorEndpoints;
  readonly sesViewerUrl: string;
  /** The stack's resolved `Outputs` (PurchaseQueueUrl, LedgerTableName, ...). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The function URLs served locally, by the URL's logical id. */
  readonly functionUrls?: Readonly<Record<string, { readonly url: string; readonly authType: string; readonly functionLogicalId: string }>>;
  /** Each resource's type and `Ref` value, by logical id. */
  readonly resources: Readonly<Record<string, { readonly type: string; readonly ref: string }>>;
}

/**
 * Records the running local stack.
 *
 * @example
 * writeStackState('.local/stack.json', state);
 */
export function writeStackState(file: string, state: LocalStackState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the record if it is this process's (on shutdown). */
export function removeStackState(file: string, pid: number = process.pid): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalStackState>;
    if (state.pid === pid) rmSync(file, { force: true });
  } catch {
    // Nothing to remove.
  }
}

/**
 * Reads the running local stack's record; fails with what to do when `npm start` is not
 * running (no file, or its process is gone).
 *
 * @example
 * readStackState('.local/stack.json').outputs.PurchaseQueueUrl
 */
export function readStackState(file: string): LocalStackState {
  if (!existsSync(file)) {
    throw new StackStateError(`No local stack is running (${file} does not exist). Start it with \`npm start\` in another terminal.`);
  }
  let state: LocalStackState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as LocalStackState;
  } catch (error) {
    throw new StackStateError(`${file} is unreadable; restart \`npm start\`.`, { cause: error });
  }
  if (!isProcessRunning(state.pid)) {
    throw new StackStateError(`The local stack recorded in ${file} (pid ${state.pid}) is no longer running. Start it with \`npm start\`.`);
  }
  return state;
}

/** Whether process `pid` runs on this machine (EPERM: it runs, as another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
