// The Lambda runtime inside one execution environment (a worker thread). Self-contained
// (Node built-ins and type-only imports) so Node runs it directly with type stripping.
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { HeapReading, InitDone, InvokeReply, InvokeRequest, WorkerSetup } from './worker-protocol';

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

const setup = workerData as WorkerSetup;
if (setup.enableSourceMaps) process.setSourceMapsEnabled(true);

let loaded: Promise<Handler> | undefined;

/** Init phase: import the bundle once per environment, as Lambda does on a cold start. */
function loadHandler(): Promise<Handler> {
  loaded ??= import(pathToFileURL(setup.handlerFile).href).then((module: Record<string, unknown>) => {
    const fromDefault = (module.default as Record<string, unknown> | undefined)?.[setup.handlerExport];
    const handler = module[setup.handlerExport] ?? fromDefault;
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${setup.handlerFile} does not export a function "${setup.handlerExport}"`), {
        name: 'Runtime.HandlerNotFound',
      });
    }
    return handler as Handler;
  });
  return loaded;
}

function contextFor(request: InvokeRequest, deadline: number): Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: setup.functionVersion,
    invokedFunctionArn: setup.invokedFunctionArn,
    memoryLimitInMB: setup.memoryLimitInMB,
    awsRequestId: request.awsRequestId,
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function call(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  if (handler.length < 3) return Promise.resolve(handler(event, context));
  return new Promise((resolve, reject) => {
    const settled = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (settled instanceof Promise) settled.then(resolve, reject);
  });
}

// This isolate's heap (a worker thread's own; process-wide figures such as RSS would sum every
// environment of the process). A few microseconds per invocation: the runner keeps the peak.
function heapNow(): HeapReading {
  const h = getHeapStatistics();
  return { totalBytes: h.total_heap_size, usedBytes: h.used_heap_size, externalBytes: h.external_memory };
}

function failure(id: number, phase: 'init' | 'invoke', error: unknown): InvokeReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return { id, ok: false, phase, errorName: e.name, errorMessage: e.message, stack: e.stack, heap: heapNow() };
}

parentPort?.on('message', async (request: InvokeRequest) => {
  let handler: Handler;
  const cold = loaded === undefined;
  try {
    handler = await loadHandler();
  } catch (error) {
    parentPort?.postMessage(failure(request.id, 'init', error));
    return;
  }
  // The runner starts the function's timeout from here (init has a limit of its own).
  if (cold) parentPort?.postMessage({ id: request.id, initDone: true } satisfies InitDone);
  const deadline = Date.now() + request.timeoutMs;
  try {
    const result = await call(handler, JSON.parse(request.eventJson), contextFor(request, deadline));
    const reply: InvokeReply = { id: request.id, ok: true, resultJson: result === undefined ? undefined : JSON.stringify(result), heap: heapNow() };
    parentPort?.postMessage(reply);
  } catch (error) {
    parentPort?.postMessage(failure(request.id, 'invoke', error));
  }
});
