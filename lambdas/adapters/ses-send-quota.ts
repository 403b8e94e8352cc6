import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { SendQuota } from '../ports/send-quota';

/**
 * The account's sending rate from SES v2 `GetAccount` (locally, aws-ses-v2-local serves
 * its `AWS_SES_ACCOUNT` env). Read once per instance: it changes rarely, and a run is short.
 */
export class SesSendQuota implements SendQuota {
  #rate: Promise<number> | undefined;

  constructor(
    private readonly client: SESv2Client,
    /** Used when SES reports no rate (e.g. an emulator without an account): 1 email/s. */
    private readonly fallbackRate = 1,
  ) {}

  maxSendRate(): Promise<number> {
    this.#rate ??= this.client.send(new GetAccountCommand({})).then(
      (out) => {
        const rate = out.SendQuota?.MaxSendRate;
        return typeof rate === 'number' && rate > 0 ? rate : this.fallbackRate;
      },
      (error: unknown) => {
        this.#rate = undefined;
        throw error;
      },
    );
    return this.#rate;
  }
}
