import { allowedRate, slotIntervalUs } from '../lambdas/mail/send-rate';

/**
 * How many apology sender invocations, and how many records each, the configured SES rate
 * needs: the one place the sender's `MaximumConcurrency` and `BatchSize` come from
 * (docs/incident-scale.md, "Sizing the sender", works 14/s, 100/s and 500/s through it).
 *
 * - allowed = floor(sesMaxSendRate × apologyRateSharePercent / 100) apologies a second; the
 *   shared slot schedule hands out one slot every (1000 + tolerance) / allowed ms, so it runs
 *   at `scheduleRate` = allowed × 1000 / 1050.
 * - batch: as many records as the schedule hands out in {@link BATCH_SLOT_SECONDS} (a batch's
 *   last record waits at most that long for its slot), 1 to 10 (SQS's most without a
 *   batching window). The schedule is one item written once per batch (a block of slots), so
 *   scheduleRate / batch must stay under 500 writes a second (half a partition's limit).
 * - an invocation holds its batch for about `msPerApology` (one record's own work, measured:
 *   reads, MAC, slot, claim, SES, settle; the records of a batch work side by side) plus the
 *   batch's slots (batch / scheduleRate). To keep the schedule busy: needed =
 *   ceil(scheduleRate × msPerApology / 1000 / batch + 1), and the default is
 *   {@link CONCURRENCY_HEADROOM} times that (Lambda's poller scales up in steps, SES's answer
 *   varies).
 * - refused: a configured concurrency below `needed` (it cannot reach the allowed rate), one
 *   that with the stack's other functions exceeds the account's concurrency, or above
 *   Lambda's 1,000 for an SQS event source.
 */
export interface SenderSizingInput {
  /** The account's SES `MaxSendRate` the stack is sized for (`sesMaxSendRate`). */
  readonly sesMaxSendRate: number;
  /** `apologyRateSharePercent`. */
  readonly sharePercent: number;
  /** One apology's own work in ms, measured (`apologySenderMsPerApology`). */
  readonly msPerApology: number;
  /** The account's concurrent executions limit (`lambdaAccountConcurrency`). */
  readonly accountConcurrency: number;
  /** What the stack's other functions may take at once (notify's maximum, the unsubscribe endpoint's reservation, ...). */
  readonly otherConcurrency: number;
  /** The operator's `apologySenderMaxConcurrency`, when set: checked, not derived. */
  readonly maxConcurrency?: number;
}

export interface SenderSizing {
  /** Apologies a second allowed (the rate bound). */
  readonly allowedRate: number;
  /** Slots a second the shared schedule hands out (allowed × 1000 / 1050). */
  readonly scheduleRate: number;
  readonly batchSize: number;
  /** The fewest invocations that keep the schedule busy. */
  readonly neededConcurrency: number;
  /** The sender's `MaximumConcurrency`: the configured one, else needed × headroom. */
  readonly maxConcurrency: number;
  /** Writes a second on the slot schedule's one item. */
  readonly scheduleWritesPerSecond: number;
}

/** Seconds of the schedule's slots one batch may span. */
export const BATCH_SLOT_SECONDS = 2;
/** Default concurrency over what is needed. */
export const CONCURRENCY_HEADROOM = 1.5;
/** The slot tolerance the sender runs with (APOLOGY_SLOT_TOLERANCE_MS's default). */
export const SLOT_TOLERANCE_MS = 50;
/** Writes a second one item (the slot schedule) may take: half a partition's 1,000. */
export const SCHEDULE_ITEM_WRITE_LIMIT = 500;
/** Lambda's most for an SQS event source's `MaximumConcurrency`. */
export const EVENT_SOURCE_MAX_CONCURRENCY = 1000;

/**
 * The sender's sizing, or every reason the settings cannot work (each naming its context key).
 *
 * @example
 * senderSizing({ sesMaxSendRate: 500, sharePercent: 100, msPerApology: 300, accountConcurrency: 1000, otherConcurrency: 10 })
 * // { sizing: { allowedRate: 500, batchSize: 10, neededConcurrency: 16, maxConcurrency: 24, ... }, problems: [] }
 */
export function senderSizing(input: SenderSizingInput): { readonly sizing?: SenderSizing; readonly problems: readonly string[] } {
  const allowed = allowedRate(input.sesMaxSendRate, input.sharePercent / 100);
  if (!(allowed > 0)) return { problems: [`sesMaxSendRate: ${input.sesMaxSendRate} × apologyRateSharePercent ${input.sharePercent} % allows no apology at all`] };
  const scheduleRate = 1e6 / slotIntervalUs(allowed, SLOT_TOLERANCE_MS);
  const batchSize = Math.min(10, Math.max(1, Math.floor(scheduleRate * BATCH_SLOT_SECONDS)));
  const neededConcurrency = Math.max(2, Math.ceil((scheduleRate * input.msPerApology) / 1000 / batchSize + 1));
  const maxConcurrency = input.maxConcurrency ?? Math.max(2, Math.ceil(neededConcurrency * CONCURRENCY_HEADROOM));
  const scheduleWritesPerSecond = scheduleRate / batchSize;
  const rate = `the allowed ${allowed} apologies/s (sesMaxSendRate ${input.sesMaxSendRate} × apologyRateSharePercent ${input.sharePercent} %)`;
  const problems: string[] = [];
  if (scheduleWritesPerSecond > SCHEDULE_ITEM_WRITE_LIMIT) {
    problems.push(
      `sesMaxSendRate: ${rate} in batches of ${batchSize} would write the slot schedule's one item ${Math.round(scheduleWritesPerSecond)} times a second, above ${SCHEDULE_ITEM_WRITE_LIMIT}`,
    );
  }
  if (input.maxConcurrency !== undefined && input.maxConcurrency < neededConcurrency) {
    const carries = Math.floor((input.maxConcurrency * batchSize) / (input.msPerApology / 1000 + batchSize / scheduleRate));
    problems.push(
      `apologySenderMaxConcurrency: ${input.maxConcurrency} invocations × batches of ${batchSize} at ${input.msPerApology} ms an apology (apologySenderMsPerApology) carry about ${carries} apologies/s, below ${rate}: needs at least ${neededConcurrency}`,
    );
  }
  if (maxConcurrency > EVENT_SOURCE_MAX_CONCURRENCY) {
    problems.push(`apologySenderMaxConcurrency: ${rate} needs ${maxConcurrency} invocations, above the ${EVENT_SOURCE_MAX_CONCURRENCY} an SQS event source may drive`);
  }
  if (maxConcurrency + input.otherConcurrency > input.accountConcurrency) {
    problems.push(
      `apologySenderMaxConcurrency: ${maxConcurrency} sender invocations${input.maxConcurrency === undefined ? ` (needed for ${rate})` : ''} plus ${input.otherConcurrency} of the stack's other functions exceed the account's ${input.accountConcurrency} concurrent executions (lambdaAccountConcurrency)`,
    );
  }
  return { sizing: { allowedRate: allowed, scheduleRate, batchSize, neededConcurrency, maxConcurrency, scheduleWritesPerSecond }, problems };
}
