import type * as Fauxqs from 'fauxqs';
import { PortInUseError, UnsupportedNodeError } from './errors';
import { assertPortFree, isAddressInUse } from './ports';
import { waitUntilReady } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/** Region fauxqs puts into queue ARNs when a request carries none. */
export const LOCAL_SQS_REGION = 'us-east-1';

/** Starts fauxqs in this process (it supports port 0 and stops cleanly). */
export async function startSqs({ port, timeoutMs }: EmulatorStartOptions): Promise<StartedEmulator> {
  // fauxqs binds 0.0.0.0 whatever we ask, so check the port the way it will bind.
  if (port !== 0) await assertPortFree('sqs', port, '0.0.0.0');
  const { startFauxqs } = await importFauxqs();
  let server: Fauxqs.FauxqsServer;
  try {
    // No `host`: queue URLs then follow the request's Host header, i.e. our endpoint, so the
    // SDK's "use the QueueUrl's host" rule keeps talking to 127.0.0.1 rather than sqs.<region>.localhost.
    server = await startFauxqs({ port, logger: false, defaultRegion: LOCAL_SQS_REGION });
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError('sqs', port, { cause: error });
    throw error;
  }
  const url = `http://127.0.0.1:${server.port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= server.stop());
  try {
    await waitUntilReady({
      emulator: 'sqs',
      port: server.port,
      timeoutMs,
      probe: async (signal) => (await fetch(`${url}/health`, { signal })).ok,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

// Imported lazily: on Node < 22.5 the static import would fail with an obscure `node:sqlite` error.
async function importFauxqs(): Promise<typeof Fauxqs> {
  try {
    return await import('fauxqs');
  } catch (error) {
    throw new UnsupportedNodeError(
      `Could not load fauxqs (the SQS emulator) on Node ${process.version}; it needs Node 22.5+ ` +
        '(the project pins Node 24: run through `npm run`/`npx`, which use node_modules/.bin/node).',
      { cause: error },
    );
  }
}
