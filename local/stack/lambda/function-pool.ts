import { randomUUID } from 'node:crypto';
import { ExecutionEnvironment, type InvocationResult } from './execution-environment';
import type { LocalFunctionDefinition } from './function-definition';
import { largerHeap, type HeapReading } from './worker-protocol';

/** What a function's environments used so far (benchmarks). */
export interface FunctionUsage {
  /** Environments started so far (cold starts). */
  readonly environments: number;
  /** The largest heap any of them had (see `ExecutionEnvironment.peakHeap`); undefined before any invocation ended. */
  readonly peakHeap: HeapReading | undefined;
  /** Their threads' working time summed, ms (see `ExecutionEnvironment.activeMs`). */
  readonly activeMs: number;
}

/** Options for a {@link FunctionPool}. */
export interface FunctionPoolOptions {
  readonly definition: LocalFunctionDefinition;
  /** The whole `process.env` each environment of the function sees. */
  readonly environment: Readonly<Record<string, string>>;
  /** Receives each line the function logs. */
  readonly log: (line: string) => void;
  /** Most environments at once when the function sets no reserved concurrency. @default 10 */
  readonly defaultConcurrency?: number;
  /** Node flags for each environment's runtime (profiling). @default [] */
  readonly execArgv?: readonly string[];
}

/**
 * The execution environments of one function. An invocation takes a warm idle
 * environment or starts a new one (a cold start) up to the function's reserved
 * concurrency (`ReservedConcurrentExecutions`, else `defaultConcurrency`); beyond
 * that, invocations wait their turn, as throttled pollers would retry.
 *
 * @example
 * const pool = new FunctionPool({ definition, environment, log });
 * const result = await pool.invoke({ Records: [...] });
 * await pool.stop();
 */
export class FunctionPool {
  #idle: ExecutionEnvironment[] = [];
  #all = new Set<ExecutionEnvironment>();
  #waiting: Array<() => void> = [];
  #stopped = false;
  #started = 0;
  // What the environments already discarded (a timeout, a crash, stop) used, so none is lost.
  #gonePeak: HeapReading | undefined;
  #goneActiveMs = 0;

  constructor(private readonly options: FunctionPoolOptions) {}

  get definition(): LocalFunctionDefinition {
    return this.options.definition;
  }

  /** Invokes the function once (synchronously, as an event source mapping does). */
  async invoke(event: unknown, awsRequestId: string = randomUUID()): Promise<InvocationResult> {
    const environment = await this.#acquire();
    try {
      return await environment.invoke(event, awsRequestId);
    } finally {
      this.#release(environment);
    }
  }

  /** What this function's environments used so far, live or discarded. */
  usage(): FunctionUsage {
    let peak = this.#gonePeak;
    let activeMs = this.#goneActiveMs;
    for (const environment of this.#all) {
      peak = largerHeap(peak, environment.peakHeap);
      activeMs += environment.activeMs;
    }
    return { environments: this.#started, peakHeap: peak, activeMs };
  }

  /** Kills every environment that is running an invocation (see `ExecutionEnvironment.crash`); returns how many. */
  crashBusy(): number {
    const busy = [...this.#all].filter((environment) => environment.busy);
    for (const environment of busy) environment.crash();
    return busy.length;
  }

  /** Ends every environment; invocations still running are cut off. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const usage = this.usage();
    this.#gonePeak = usage.peakHeap;
    this.#goneActiveMs = usage.activeMs;
    await Promise.all([...this.#all].map((environment) => environment.dispose()));
    this.#all.clear();
    this.#idle = [];
  }

  get #limit(): number {
    return this.options.definition.reservedConcurrency ?? this.options.defaultConcurrency ?? 10;
  }

  async #acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      if (this.#stopped) throw new Error(`${this.options.definition.name} is stopped`);
      const warm = this.#idle.pop();
      if (warm?.alive) return warm;
      if (warm) {
        // Died while idle (its runtime crashed or exited): it no longer counts against the limit.
        this.#forget(warm);
        continue;
      }
      if (this.#all.size < this.#limit) {
        const environment = new ExecutionEnvironment({
          definition: this.options.definition,
          environment: this.options.environment,
          log: this.options.log,
          execArgv: this.options.execArgv,
        });
        this.#all.add(environment);
        this.#started += 1;
        return environment;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #release(environment: ExecutionEnvironment): void {
    if (environment.alive && !this.#stopped) this.#idle.push(environment);
    else this.#forget(environment);
    this.#waiting.shift()?.();
  }

  #forget(environment: ExecutionEnvironment): void {
    if (!this.#all.delete(environment)) return;
    this.#gonePeak = largerHeap(this.#gonePeak, environment.peakHeap);
    this.#goneActiveMs += environment.activeMs;
  }
}
