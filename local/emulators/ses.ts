import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { manageChild } from './child-process';
import { assertPortFree, findFreePort } from './ports';
import { waitUntilReady } from './readiness';
import type { EmulatorStartOptions, StartedEmulator } from './types';

/**
 * What SESv2 GetAccount returns locally (aws-ses-v2-local serves the `AWS_SES_ACCOUNT` env var).
 * Shaped like a production account out of the sandbox, so rate limiting code has a real quota to read.
 */
export const LOCAL_SES_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'registry-notices local stack',
    WebsiteURL: 'http://localhost',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
} as const;

const HOST = '127.0.0.1';

/**
 * Starts aws-ses-v2-local as a child process. Not in-process: its mail store is a module-level
 * singleton, so two emulator sets in one process would share (and clear) each other's mail.
 */
export async function startSes({ port, log, reaper, timeoutMs }: EmulatorStartOptions): Promise<StartedEmulator> {
  // Its CLI cannot report the port it got, so pick a free one ourselves.
  const actualPort = port === 0 ? await findFreePort(HOST) : port;
  if (port !== 0) await assertPortFree('ses', port, HOST);
  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  const child = manageChild(
    'ses',
    spawn(process.execPath, [cli, '--host', HOST, '--port', String(actualPort)], {
      env: { ...process.env, AWS_SES_ACCOUNT: JSON.stringify(LOCAL_SES_ACCOUNT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    log,
  );
  reaper.watch(child.pid);
  const url = `http://${HOST}:${actualPort}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= child.stop().then(() => reaper.release(child.pid)));
  try {
    await waitUntilReady({
      emulator: 'ses',
      port: actualPort,
      child,
      timeoutMs,
      probe: async (signal) => (await fetch(`${url}/health-check`, { signal })).ok,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
