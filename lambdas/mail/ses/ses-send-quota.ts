import type { SesSendQuota as Quota } from '../send-rate';
import type { SendQuota } from '../ports/send-quota';
import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

export interface SesSendQuotaOptions {
  /** Used when SES reports no rate (e.g. an emulator without an account): 1 email/s. @default 1 */
  readonly fallbackRate?: number;
  /** How long a reading is kept: `SentLast24Hours` moves, the rest rarely. @default 60_000 */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * The account's sending quota from SES v2 `GetAccount` (locally, aws-ses-v2-local serves its
 * `AWS_SES_ACCOUNT` env), read at run time and kept `maxAgeMs`; a failed read is not kept.
 */
export class SesSendQuota implements SendQuota {
  #reading: { readonly at: number; readonly quota: Promise<Quota> } | undefined;
  readonly #fallbackRate: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(
    private readonly client: Pick<SESv2Client, 'send'>,
    options: SesSendQuotaOptions = {},
  ) {
    this.#fallbackRate = options.fallbackRate ?? 1;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  async maxSendRate(): Promise<number> {
    return (await this.quota()).maxSendRate;
  }

  quota(): Promise<Quota> {
    const now = this.#now();
    if (this.#reading && now - this.#reading.at < this.#maxAgeMs) return this.#reading.quota;
    const quota = this.client.send(new GetAccountCommand({})).then((out) => {
      const q = out.SendQuota;
      const rate = q?.MaxSendRate;
      return {
        maxSendRate: typeof rate === 'number' && rate > 0 ? rate : this.#fallbackRate,
        max24HourSend: typeof q?.Max24HourSend === 'number' ? q.Max24HourSend : -1,
        sentLast24Hours: typeof q?.SentLast24Hours === 'number' ? q.SentLast24Hours : 0,
      };
    });
    const reading = { at: now, quota };
    this.#reading = reading;
    quota.catch(() => {
      if (this.#reading === reading) this.#reading = undefined;
    });
    return quota;
  }
}
