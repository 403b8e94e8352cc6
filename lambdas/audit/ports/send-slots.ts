/** A slot handed out (the first of `count`, each `intervalUs` after the one before), or why none was. Times are microseconds since the epoch. */
export type SlotGrant =
  | { readonly granted: true; readonly slotUs: number }
  | {
      readonly granted: false;
      /** `BREAKER_OPEN`: SES did not take an email moments ago; `BOOKED_AHEAD`: the schedule is full past `latestUs`. */
      readonly why: 'BREAKER_OPEN' | 'BOOKED_AHEAD';
      /** When asking again makes sense. */
      readonly retryAtUs: number;
    };

/**
 * What a sender asks for: a slot at or after `nowUs`, spaced `intervalUs` after the last one
 * handed out, no later than `latestUs`; or `count` consecutive slots (the first no later than
 * `latestUs`), for as many sends of one container, in one request.
 */
export interface SlotRequest {
  readonly nowUs: number;
  readonly intervalUs: number;
  readonly latestUs: number;
  /** Consecutive slots wanted at once. @default 1 */
  readonly count?: number;
}

/**
 * One schedule of send slots shared by every sender (all invocations, all campaigns): each
 * slot at least `intervalUs` after the previous one, handed out atomically, so concurrency,
 * restarts and rounds cannot crowd them. It also holds the circuit breaker every sender obeys.
 */
export interface SendSlotSchedule {
  take(request: SlotRequest): Promise<SlotGrant>;
  /** Opens the breaker (no slot is handed out until it closes); returns when it closes. */
  openBreaker(nowUs: number): Promise<number>;
}
