/** What the runner tells an execution environment (a worker thread) about its function. */
export interface WorkerSetup {
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** `NODE_OPTIONS` has `--enable-source-maps` (workers cannot take it as an option). */
  readonly enableSourceMaps: boolean;
}

/** One invocation request, runner → worker. */
export interface InvokeRequest {
  readonly id: number;
  readonly awsRequestId: string;
  /**
   * The function's timeout. Its clock starts when the handler is called, after a cold start's
   * init (Lambda times init apart, `INIT_LIMIT_MS`): the deadline of `getRemainingTimeInMillis`.
   */
  readonly timeoutMs: number;
  /** The event, as JSON (Lambda passes JSON too). */
  readonly eventJson: string;
}

/** The environment's V8 heap when an invocation ended (its isolate's own, not the process's). */
export interface HeapReading {
  /** The heap V8 has committed (it grows to the peak and gives back little). */
  readonly totalBytes: number;
  readonly usedBytes: number;
  /** Memory outside the heap that JS objects hold (buffers). */
  readonly externalBytes: number;
}

/** Each figure's larger value of two readings (a peak so far and a new reading). */
export function largerHeap(a: HeapReading | undefined, b: HeapReading | undefined): HeapReading | undefined {
  if (!a || !b) return a ?? b;
  return { totalBytes: Math.max(a.totalBytes, b.totalBytes), usedBytes: Math.max(a.usedBytes, b.usedBytes), externalBytes: Math.max(a.externalBytes, b.externalBytes) };
}

/** Lambda's limit on a cold start's init phase (importing the handler), apart from the function's timeout. */
export const INIT_LIMIT_MS = 10_000;

/** Worker → runner, on a cold start: the handler is loaded, the invocation's timeout starts now. */
export interface InitDone {
  readonly id: number;
  readonly initDone: true;
}

/** The outcome of an invocation, worker → runner. */
export type InvokeReply =
  | { readonly id: number; readonly ok: true; readonly resultJson: string | undefined; readonly heap?: HeapReading }
  | {
      readonly id: number;
      readonly ok: false;
      readonly heap?: HeapReading;
      readonly phase: 'init' | 'invoke';
      readonly errorName: string;
      readonly errorMessage: string;
      readonly stack?: string;
    };
