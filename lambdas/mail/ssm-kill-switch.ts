import type { KillSwitch } from './ports/kill-switch';
import type { ReadParameter } from '../platform/ssm-parameter-reader';

const RUNNING_VALUES = new Set(['false', 'off', 'no', '0', 'running']);

/** Whether a value of the switch pauses sending: anything but a word for "off" does (a typo included). */
export function pausesSending(value: string): boolean {
  return !RUNNING_VALUES.has(value.trim().toLowerCase());
}

export interface SsmKillSwitchOptions {
  readonly parameterName: string;
  /** Reads the parameter (see `ssmParameterReader`). */
  readonly read: ReadParameter;
  /** Seconds a read is cached: how long a flip takes to reach warm functions. @default 10 */
  readonly maxAgeSeconds?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * The kill switch as an SSM parameter. Only a value meaning "off" lets mail go;
 * anything else (a typo included) counts as paused: when in doubt, do not send.
 *
 * Read at most once per cache period per execution environment, however many records ask:
 * the records of a batch run concurrently, so callers that find the cache expired share the
 * one read in flight (single flight) instead of each making their own. A failed read is not
 * cached: every caller waiting on it gets the error, and the next caller reads again.
 * Our own few lines rather than Powertools' `SSMProvider`, whose cache lets concurrent
 * callers each read, and which needs the full SSM client (see `ssmParameterReader`).
 */
export class SsmKillSwitch implements KillSwitch {
  readonly #name: string;
  readonly #read: ReadParameter;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #cached: { readonly paused: boolean; readonly until: number } | undefined;
  #inFlight: Promise<boolean> | undefined;

  constructor(options: SsmKillSwitchOptions) {
    this.#name = options.parameterName;
    this.#read = options.read;
    this.#maxAgeMs = (options.maxAgeSeconds ?? 10) * 1000;
    this.#now = options.now ?? Date.now;
  }

  isPaused(): Promise<boolean> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.until) return Promise.resolve(cached.paused);
    this.#inFlight ??= this.#readNow().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #readNow(): Promise<boolean> {
    const value = await this.#read(this.#name);
    const paused = pausesSending(value);
    this.#cached = { paused, until: this.#now() + this.#maxAgeMs };
    return paused;
  }
}
