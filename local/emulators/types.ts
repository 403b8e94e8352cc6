import type { Reaper } from './reaper';

/** What each emulator starter receives. */
export interface EmulatorStartOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  log: (line: string) => void;
  /** Kills child processes if this process dies without calling stop(). */
  reaper: Reaper;
  /** How long to wait for the emulator to answer. */
  timeoutMs: number;
}

/** One running emulator. */
export interface StartedEmulator {
  /** Base URL the AWS SDK talks to, e.g. `http://127.0.0.1:4566`. */
  url: string;
  /** Stops it; idempotent. */
  stop(): Promise<void>;
}
