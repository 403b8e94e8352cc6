/** The email provider's sending limits. */
export interface SendQuota {
  /** Emails per second the account may send (SES `SendQuota.MaxSendRate`). */
  maxSendRate(): Promise<number>;
}
