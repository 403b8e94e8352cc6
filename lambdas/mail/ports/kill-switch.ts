/** The operator's switch that pauses all sending without a deploy. */
export interface KillSwitch {
  /** True while sending is paused. Throws if the switch cannot be read (we then do not send). */
  isPaused(): Promise<boolean>;
}
