import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { InvocationError } from '../../errors';
import type { LocalFunctionDefinition } from './function-definition';
import { INIT_LIMIT_MS, largerHeap, type HeapReading, type InitDone, type InvokeReply, type InvokeRequest, type WorkerSetup } from './worker-protocol';

const WORKER_URL = new URL('./runtime-worker.ts', import.meta.url);

/** Options for an {@link ExecutionEnvironment}. */
export interface ExecutionEnvironmentOptions {
  readonly definition: LocalFunctionDefinition;
  /** The whole `process.env` the function sees (see `lambdaEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /** Receives each line the function writes to stdout/stderr, and START/END/REPORT lines. */
  readonly log: (line: string) => void;
  /**
   * Node flags for the runtime, e.g. `['--cpu-prof', '--cpu-prof-dir=.local/profiles']` to
   * profile each environment (written when it ends). Nothing of the runner's own is passed on.
   * @default []
   */
  readonly execArgv?: readonly string[];
}

/** The outcome of one invocation that completed (the handler returned). */
export interface InvocationResult {
  readonly awsRequestId: string;
  /** The handler's return value after a JSON round trip, as Lambda returns it. */
  readonly payload: unknown;
  readonly durationMs: number;
  readonly coldStart: boolean;
}

/**
 * One Lambda execution environment: a worker thread with its own `process.env` and
 * module state, running one invocation at a time. The bundle is imported on the first
 * invocation (a cold start) and kept warm afterwards. A timeout or a crash discards
 * the environment, as Lambda does; a handler error does not.
 *
 * @example
 * const environment = new ExecutionEnvironment({ definition, environment: env, log: console.log });
 * const { payload } = await environment.invoke({ Records: [] });
 * await environment.dispose();
 */
export class ExecutionEnvironment {
  #worker: Worker;
  #nextId = 1;
  #pending: { id: number; resolve: (reply: InvokeReply) => void; reject: (error: Error) => void; initDone?: () => void } | undefined;
  #initialized = false;
  #dead = false;
  #peakHeap: HeapReading | undefined;
  #activeMs = 0;

  constructor(private readonly options: ExecutionEnvironmentOptions) {
    const { definition, environment } = options;
    const setup: WorkerSetup = {
      handlerFile: definition.handlerFile,
      handlerExport: definition.handlerExport,
      functionName: definition.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: definition.arn,
      memoryLimitInMB: String(definition.memoryMb),
      logGroupName: `/aws/lambda/${definition.name}`,
      logStreamName: `local/${definition.logicalId}/${randomUUID()}`,
      enableSourceMaps: (environment.NODE_OPTIONS ?? '').includes('--enable-source-maps'),
    };
    this.#worker = new Worker(WORKER_URL, {
      workerData: setup,
      env: { ...environment },
      stdout: true,
      stderr: true,
      // A function must not inherit the runner's loaders or flags; it gets what Lambda gives.
      execArgv: [...(options.execArgv ?? [])],
    });
    for (const stream of [this.#worker.stdout, this.#worker.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => options.log(line));
    }
    this.#worker.on('message', (reply: InvokeReply | InitDone) => {
      if ('initDone' in reply) {
        if (this.#pending?.id === reply.id) this.#pending.initDone?.();
        return;
      }
      this.#peakHeap = largerHeap(this.#peakHeap, reply.heap);
      // The worker's event loop time spent working (not waiting on I/O or timers), read while it is alive.
      this.#activeMs = this.#worker.performance.eventLoopUtilization().active;
      const pending = this.#pending;
      if (pending?.id === reply.id) {
        this.#pending = undefined;
        pending.resolve(reply);
      }
    });
    this.#worker.on('error', (error) => this.#crash(`the runtime crashed: ${error.name}: ${error.message}`, error));
    this.#worker.on('exit', (code) => this.#crash(`the runtime exited (code ${code})`));
  }

  /** False once the environment has been discarded (timeout, crash, init failure). */
  get alive(): boolean {
    return !this.#dead;
  }

  /**
   * The largest V8 heap this environment's isolate had at the end of an invocation, each figure
   * its own maximum (undefined before the first). Benchmarks read it as the function's memory;
   * Lambda's "Max Memory Used" is the sandbox's RSS, which a worker thread does not have alone.
   */
  get peakHeap(): HeapReading | undefined {
    return this.#peakHeap;
  }

  /** Ms the environment's thread has worked (its event loop's active time, up to its last reply): its CPU, about. */
  get activeMs(): number {
    return this.#activeMs;
  }

  /** True while an invocation runs. */
  get busy(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Runs the handler with `event`; rejects with {@link InvocationError} when it throws
   * (`HandlerError`), fails to load (`InitError`), runs past the function's timeout
   * (`Timeout`) or crashes the runtime (`RuntimeCrash`).
   */
  async invoke(event: unknown, awsRequestId: string = randomUUID()): Promise<InvocationResult> {
    if (this.#dead) throw new InvocationError(this.options.definition.name, 'RuntimeCrash', 'the environment was discarded');
    if (this.#pending) throw new Error('An execution environment runs one invocation at a time.');
    const { definition, log } = this.options;
    const coldStart = !this.#initialized;
    const started = performance.now();
    const timeoutMs = definition.timeoutSeconds * 1000;
    const request: InvokeRequest = { id: this.#nextId++, awsRequestId, timeoutMs, eventJson: JSON.stringify(event) };
    log(`START RequestId: ${awsRequestId} Version: $LATEST${coldStart ? ' (cold start)' : ''}`);
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await new Promise<InvokeReply>((resolve, reject) => {
        const timeOut = (): void => {
          timer = setTimeout(() => {
            this.#crash(`Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds`, undefined, 'Timeout');
          }, timeoutMs);
        };
        // As Lambda: a cold start's init (loading the handler) has its own limit, and the
        // function's timeout runs from the handler's call (the worker says when init is done).
        const initDone = (): void => {
          clearTimeout(timer);
          timeOut();
        };
        this.#pending = { id: request.id, resolve, reject, initDone };
        if (coldStart) {
          timer = setTimeout(() => {
            this.#crash(`Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds (init ran past Lambda's ${INIT_LIMIT_MS / 1000} s init limit)`, undefined, 'Timeout');
          }, INIT_LIMIT_MS + timeoutMs);
        } else timeOut();
        this.#worker.postMessage(request);
      });
      if (!reply.ok) {
        if (reply.phase === 'init') await this.dispose();
        throw new InvocationError(
          definition.name,
          reply.phase === 'init' ? 'InitError' : 'HandlerError',
          `${reply.errorName}: ${reply.errorMessage}`,
          // What Lambda's Node.js runtime answers a synchronous caller: the error's type, message and trace.
          { payload: { errorType: reply.errorName, errorMessage: reply.errorMessage, ...(reply.stack ? { trace: reply.stack.split('\n') } : {}) } },
        );
      }
      this.#initialized = true;
      return {
        awsRequestId,
        payload: reply.resultJson === undefined ? null : JSON.parse(reply.resultJson),
        durationMs: performance.now() - started,
        coldStart,
      };
    } catch (error) {
      if (error instanceof InvocationError && error.kind === 'HandlerError') this.#initialized = true;
      log(`ERROR RequestId: ${awsRequestId} ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      clearTimeout(timer);
      const duration = performance.now() - started;
      log(`END RequestId: ${awsRequestId}`);
      log(`REPORT RequestId: ${awsRequestId} Duration: ${duration.toFixed(2)} ms Memory Size: ${definition.memoryMb} MB`);
    }
  }

  /**
   * Kills the runtime on the spot, as a host failure would: a running invocation fails with
   * `RuntimeCrash` (its event source then treats the batch as failed) and the environment is
   * discarded. For fault tests.
   */
  crash(): void {
    this.#crash('the execution environment was killed');
  }

  /** Ends the worker thread. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#dead) return;
    this.#dead = true;
    await this.#worker.terminate();
  }

  #crash(message: string, cause?: Error, kind: 'Timeout' | 'RuntimeCrash' = 'RuntimeCrash'): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!this.#dead) {
      this.#dead = true;
      void this.#worker.terminate();
    }
    pending?.reject(new InvocationError(this.options.definition.name, kind, message, { cause }));
  }
}
