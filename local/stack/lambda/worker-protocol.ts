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

/** Lambda's limit on a cold start's init phase (importing the handler), apart from the function's timeout. */
export const INIT_LIMIT_MS = 10_000;

/** Worker → runner, on a cold start: the handler is loaded, the invocation's timeout starts now. */
export interface InitDone {
  readonly id: number;
  readonly initDone: true;
}

/** The outcome of an invocation, worker → runner. */
export type InvokeReply =
  | { readonly id: number; readonly ok: true; readonly resultJson: string | undefined }
  | {
      readonly id: number;
      readonly ok: false;
      readonly phase: 'init' | 'invoke';
      readonly errorName: string;
      readonly errorMessage: string;
      readonly stack?: string;
    };
