import type { ScheduleDefinition } from './schedule-definition';

/** What the scheduler calls when a schedule fires. */
export interface SchedulerActions {
  /** Invokes a function asynchronously with the payload (resolves when the invocation ends). */
  invokeFunction(functionLogicalId: string, payload: unknown): Promise<void>;
  /** Sends the input to a queue. */
  sendToQueue(queueUrl: string, body: string): Promise<void>;
}

/** Options for a {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  readonly schedules: readonly ScheduleDefinition[];
  readonly actions: SchedulerActions;
  readonly log: (line: string) => void;
  /**
   * Delays before Lambda's two retries of a failed asynchronous invocation.
   * @default [60_000, 120_000]
   */
  readonly retryDelaysMs?: readonly number[];
}

const MAX_TIMER_MS = 2_147_000_000;

/**
 * EventBridge Scheduler, locally: a timer per enabled schedule fires it at each time its
 * expression gives (between its start and end dates). A function target is invoked
 * asynchronously, as Scheduler does, with Lambda's two retries after a function error;
 * runs may overlap. `fire()` runs a schedule now, for the CLI and tests.
 *
 * @example
 * const scheduler = new LocalScheduler({ schedules, actions, log });
 * scheduler.start();
 * await scheduler.fire('AuditSchedule');
 * scheduler.stop();
 */
export class LocalScheduler {
  #timers = new Map<string, NodeJS.Timeout>();
  #retries = new Set<NodeJS.Timeout>();
  #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly options: LocalSchedulerOptions) {}

  /** Arms every enabled schedule. */
  start(): void {
    for (const schedule of this.options.schedules) {
      if (!schedule.enabled) {
        this.options.log(`schedule ${schedule.logicalId} is DISABLED; not armed`);
        continue;
      }
      this.#arm(schedule, new Date());
    }
  }

  /** Runs one schedule now, whatever its expression says; resolves when its target is done. */
  async fire(logicalId: string): Promise<void> {
    const schedule = this.options.schedules.find((candidate) => candidate.logicalId === logicalId);
    if (schedule === undefined) throw new RangeError(`No schedule ${logicalId} in this stack`);
    await this.#deliver(schedule, 0);
  }

  /** Disarms every schedule and pending retry; waits for targets still running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of [...this.#timers.values(), ...this.#retries]) clearTimeout(timer);
    this.#timers.clear();
    this.#retries.clear();
    await Promise.allSettled([...this.#running]);
  }

  #arm(schedule: ScheduleDefinition, after: Date): void {
    const from = schedule.startDate && schedule.startDate > after ? new Date(schedule.startDate.getTime() - 1) : after;
    const next = schedule.expression.next(from);
    if (next === undefined || (schedule.endDate && next > schedule.endDate)) {
      this.options.log(`schedule ${schedule.logicalId} (${schedule.expression.text}) has no further runs`);
      return;
    }
    const wait = next.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        if (this.#stopped) return;
        if (wait > MAX_TIMER_MS) {
          this.#arm(schedule, after);
          return;
        }
        void this.#deliver(schedule, 0);
        this.#arm(schedule, next);
      },
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    timer.unref();
    this.#timers.set(schedule.logicalId, timer);
  }

  async #deliver(schedule: ScheduleDefinition, attempt: number): Promise<void> {
    const { actions, log } = this.options;
    const run = (async () => {
      try {
        if (schedule.target.kind === 'queue') {
          await actions.sendToQueue(schedule.target.queueUrl, schedule.input ?? '{}');
        } else {
          await actions.invokeFunction(schedule.target.functionLogicalId, JSON.parse(schedule.input ?? '{}'));
        }
        log(`schedule ${schedule.logicalId} ran${attempt > 0 ? ` (retry ${attempt})` : ''}`);
      } catch (error) {
        const delays = this.options.retryDelaysMs ?? [60_000, 120_000];
        const delay = delays[attempt];
        log(`schedule ${schedule.logicalId} failed: ${(error as Error).message}${delay === undefined || this.#stopped ? '' : `; retry in ${delay / 1000} s`}`);
        if (delay !== undefined && !this.#stopped) {
          const timer = setTimeout(() => {
            this.#retries.delete(timer);
            void this.#deliver(schedule, attempt + 1);
          }, delay);
          timer.unref();
          this.#retries.add(timer);
        }
      }
    })();
    this.#running.add(run);
    await run;
    this.#running.delete(run);
  }
}
