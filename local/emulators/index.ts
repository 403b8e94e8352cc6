/**
 * The local AWS emulators `npm start` and the integration tests run against:
 * SQS (fauxqs, in-process), SES v2 (aws-ses-v2-local, child process), DynamoDB (AWS's
 * DynamoDB Local on Java, child process), SSM Parameter Store and KMS (our own, in-process).
 */
import { startDynamoDb } from './dynamodb';
import { startKms } from './kms';
import { EmulatorError, EmulatorsStartError } from '../errors';
import { LOCAL_AWS_REGION, LOCAL_CREDENTIALS } from './local-aws';
import { EMULATOR_NAMES, portEnvVar, type EmulatorName } from './names';
import { isPort } from './ports';
import { Reaper } from './reaper';
import { startSes } from './ses';
import { startSqs } from './sqs';
import { startSsm } from './ssm';
import type { EmulatorStartOptions, StartedEmulator } from './types';

export { LOCAL_AWS_REGION } from './local-aws';
export { portEnvVar, type EmulatorName } from './names';
export { LOCAL_SES_ACCOUNT } from './ses';

/** A port per emulator; 0 means "any free port". */
export interface EmulatorPorts {
  sqs: number;
  ses: number;
  dynamodb: number;
  ssm: number;
  kms: number;
}

/** Base URL per emulator, e.g. `http://127.0.0.1:4566`. */
export interface EmulatorEndpoints {
  sqs: string;
  ses: string;
  dynamodb: string;
  ssm: string;
  kms: string;
}

/** A started set of emulators. */
export interface RunningEmulators {
  endpoints: EmulatorEndpoints;
  /** aws-ses-v2-local's web viewer of every email sent. */
  sesViewerUrl: string;
  /** Stops every process and server; idempotent. */
  stop(): Promise<void>;
}

/**
 * Ports `npm start` uses unless told otherwise: each tool's own default
 * (fauxqs 4566, aws-ses-v2-local 8005, DynamoDB Local 8000), 4583 for SSM and 4599 for KMS
 * (LocalStack's old ports for them). Override one with `EMULATOR_PORT_<NAME>` or `options.ports`.
 */
export const DEFAULT_EMULATOR_PORTS: EmulatorPorts = Object.freeze({ sqs: 4566, ses: 8005, dynamodb: 8000, ssm: 4583, kms: 4599 });

// A cold JVM on a busy 2-core machine can take several seconds; beyond a minute something is wrong.
const START_TIMEOUT_MS = 60_000;

const STARTERS: Record<EmulatorName, (options: EmulatorStartOptions) => Promise<StartedEmulator>> = {
  sqs: startSqs,
  ses: startSes,
  dynamodb: startDynamoDb,
  ssm: startSsm,
  kms: startKms,
};

/**
 * Starts all five emulators in parallel and resolves once each answers a real request.
 *
 * Ports: `options.ports[name]`, else the `EMULATOR_PORT_<NAME>` env var (e.g. `EMULATOR_PORT_DYNAMODB`),
 * else {@link DEFAULT_EMULATOR_PORTS}; 0 picks a free port. On failure everything already started is
 * stopped again and the error says what to do: {@link PortInUseError}, {@link JavaUnavailableError},
 * {@link EmulatorExitedError} (with the process's last output), {@link EmulatorStartTimeoutError},
 * or {@link EmulatorsStartError} when several failed.
 *
 * Child processes (DynamoDB Local, aws-ses-v2-local) are killed by `stop()`, and by a small
 * watchdog process if this process dies without calling it.
 */
export async function startEmulators(
  options: { ports?: Partial<EmulatorPorts>; log?: (line: string) => void } = {},
): Promise<RunningEmulators> {
  const log = options.log ?? (() => {});
  const ports = resolvePorts(options.ports ?? {}, process.env);
  const reaper = new Reaper();
  const results = await Promise.allSettled(
    EMULATOR_NAMES.map(async (name) => {
      const startedAt = Date.now();
      const emulator = await STARTERS[name]({ port: ports[name], log, reaper, timeoutMs: START_TIMEOUT_MS });
      log(`${name} emulator ready at ${emulator.url} (${Date.now() - startedAt} ms)`);
      return [name, emulator] as const;
    }),
  );

  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [toError(r.reason)] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.map(([, emulator]) => emulator.stop()));
    reaper.close();
  };
  if (failures.length > 0) {
    await stopAll();
    throw failures.length === 1 ? failures[0] : new EmulatorsStartError(failures);
  }

  const endpoints = Object.fromEntries(started.map(([name, emulator]) => [name, emulator.url])) as unknown as EmulatorEndpoints;
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    sesViewerUrl: `${endpoints.ses}/`,
    stop: () => (stopping ??= stopAll()),
  };
}

/**
 * Env vars that point unchanged AWS SDK v3 code at the emulators: `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SNS`,
 * `AWS_ENDPOINT_URL_SESV2`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_KMS`,
 * `AWS_ENDPOINT_URL_S3` (fauxqs again, path-style), `AWS_REGION`,
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (dummy).
 *
 * The suffix is the client's `serviceId` upper-cased with spaces as `_`: SES v2's is `SESv2`,
 * hence `AWS_ENDPOINT_URL_SESV2`. Services not listed here still go to AWS (and fail on the
 * dummy credentials).
 */
export function emulatorEnv(endpoints: EmulatorEndpoints): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // fauxqs serves SNS on the SQS endpoint.
    AWS_ENDPOINT_URL_SNS: endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SSM: endpoints.ssm,
    // fauxqs serves S3 on the SQS endpoint (path-style: a client must not put the bucket in the host).
    AWS_ENDPOINT_URL_S3: endpoints.sqs,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    AWS_REGION: LOCAL_AWS_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

/** Explicit option, else `EMULATOR_PORT_<NAME>`, else the default; validated. */
export function resolvePorts(requested: Partial<EmulatorPorts>, env: NodeJS.ProcessEnv): EmulatorPorts {
  const resolve = (name: EmulatorName): number => {
    const fromEnv = env[portEnvVar(name)];
    const port = requested[name] ?? (fromEnv === undefined || fromEnv === '' ? undefined : Number(fromEnv));
    if (port === undefined) return DEFAULT_EMULATOR_PORTS[name];
    if (!isPort(port)) {
      const source = requested[name] === undefined ? `${portEnvVar(name)}=${fromEnv}` : `ports.${name}=${port}`;
      throw new EmulatorError(`Invalid port for the ${name} emulator (${source}): use an integer 0-65535, 0 = any free port.`);
    }
    return port;
  };
  return { sqs: resolve('sqs'), ses: resolve('ses'), dynamodb: resolve('dynamodb'), ssm: resolve('ssm'), kms: resolve('kms') };
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new EmulatorError(String(reason));
}
