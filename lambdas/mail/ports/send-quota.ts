import type { SesSendQuota } from '../send-rate';

/** The email provider's sending limits. */
export interface SendQuota {
  /** Emails per second the account may send (SES `SendQuota.MaxSendRate`). */
  maxSendRate(): Promise<number>;
  /** The whole quota: rate, 24-hour limit and what was sent in the last 24 hours. */
  quota(): Promise<SesSendQuota>;
}
