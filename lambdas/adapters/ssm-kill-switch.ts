import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KillSwitch } from '../ports/kill-switch';

const RUNNING_VALUES = new Set(['false', 'off', 'no', '0', 'running']);

export interface SsmKillSwitchOptions {
  readonly parameterName: string;
  /** Seconds a read is cached: how long a flip takes to reach warm functions. @default 10 */
  readonly maxAgeSeconds?: number;
  readonly client?: SSMClient;
}

/**
 * The kill switch as an SSM parameter. Only a value meaning "off" lets mail go;
 * anything else (a typo included) counts as paused: when in doubt, do not send.
 */
export class SsmKillSwitch implements KillSwitch {
  readonly #provider: SSMProvider;
  readonly #name: string;
  readonly #maxAge: number;

  constructor(options: SsmKillSwitchOptions) {
    this.#provider = new SSMProvider(options.client ? { awsSdkV3Client: options.client } : {});
    this.#name = options.parameterName;
    this.#maxAge = options.maxAgeSeconds ?? 10;
  }

  async isPaused(): Promise<boolean> {
    const value = await this.#provider.get(this.#name, { maxAge: this.#maxAge });
    return !RUNNING_VALUES.has((value ?? '').trim().toLowerCase());
  }
}
