import type * as Fauxqs from 'fauxqs';
import { PortInUseError, UnsupportedNodeError } from '../errors';
import { LOCAL_AWS_REGION } from './local-aws';
import { isAddressInUse } from './ports';
import { waitUntilReadyOrStop } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

const HOST = '127.0.0.1';

// fauxqs hands out queue URLs like http://sqs.us-east-1.localhost:4566/000000000000/q. The SDK
// sends QueueUrl requests to the QueueUrl's host unless the client has an explicit `endpoint`,
// so env-configured clients (AWS_ENDPOINT_URL_SQS) would go to sqs.us-east-1.localhost, which
// most resolvers do not know (ENOTFOUND). fauxqs finds queues by the URL's path alone, so we
// hand out http://127.0.0.1:<port>/000000000000/q instead: same origin as the endpoint.
const FAUXQS_QUEUE_URL_ORIGIN = /http:\/\/sqs\.[a-z0-9-]+\.localhost(:\d+)?\//g;

/**
 * Starts fauxqs in this process, through its `buildApp` (not `startFauxqs`) to bind 127.0.0.1 and
 * rewrite the queue URLs it returns (see above).
 */
export async function startSqs({ port, timeoutMs }: EmulatorStartOptions): Promise<StartedEmulator> {
  const { buildApp } = await importFauxqs();
  const app = buildApp({ logger: false, defaultRegion: LOCAL_AWS_REGION });
  app.addHook('onSend', async (_request: unknown, _reply: unknown, payload: unknown) =>
    typeof payload === 'string' ? payload.replace(FAUXQS_QUEUE_URL_ORIGIN, `http://${HOST}$1/`) : payload,
  );
  let address: string;
  try {
    address = await app.listen({ port, host: HOST });
  } catch (error) {
    await app.close();
    if (isAddressInUse(error)) throw new PortInUseError('sqs', port, { cause: error });
    throw error;
  }
  const url = `http://${HOST}:${new URL(address).port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= app.close().then(() => undefined));
  await waitUntilReadyOrStop(
    { emulator: 'sqs', port, timeoutMs, probe: async (signal) => (await fetch(`${url}/health`, { signal })).ok },
    stop,
  );
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
