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
  /** Epoch ms when the function's timeout expires (`getRemainingTimeInMillis`). */
  readonly deadline: number;
  /** The event, as JSON (Lambda passes JSON too). */
  readonly eventJson: string;
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
