import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChildEmulator } from './child-emulator';
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

/**
 * The account the emulator serves: {@link LOCAL_SES_ACCOUNT}, with `MaxSendRate` from
 * `LOCAL_SES_MAX_SEND_RATE` when set (a benchmark that needs a rate high enough to matter).
 */
export function localSesAccount(env: NodeJS.ProcessEnv = process.env): typeof LOCAL_SES_ACCOUNT | Record<string, unknown> {
  const rate = Number(env.LOCAL_SES_MAX_SEND_RATE);
  if (!env.LOCAL_SES_MAX_SEND_RATE || !(rate > 0)) return LOCAL_SES_ACCOUNT;
  return { ...LOCAL_SES_ACCOUNT, SendQuota: { ...LOCAL_SES_ACCOUNT.SendQuota, MaxSendRate: rate, Max24HourSend: Math.max(50_000, rate * 86_400) } };
}

const HOST = '127.0.0.1';

/** Options of {@link startSes} beyond every emulator's. */
export interface SesStartOptions extends EmulatorStartOptions {
  /**
   * A file the emulator appends each email to before it answers, and reads back when it
   * starts: a restarted emulator (a test that kills it) still knows every email it took.
   *
   * @default - none: the mail lives as long as the process
   */
  readonly journalFile?: string;
}

/**
 * Starts aws-ses-v2-local as a child process (`ses-process.ts`, which also keeps each
 * email's configuration set and tags). Not in-process: its mail store is a module-level
 * singleton, so two emulator sets in one process would share (and clear) each other's mail.
 */
export async function startSes(options: SesStartOptions): Promise<StartedEmulator> {
  const entry = fileURLToPath(new URL('./ses-process.ts', import.meta.url));
  const journal = options.journalFile === undefined ? [] : ['--journal', options.journalFile];
  return startChildEmulator({
    ...options,
    emulator: 'ses',
    bindHost: HOST,
    spawn: (port) =>
      spawn(process.execPath, [entry, '--host', HOST, '--port', String(port), ...journal], {
        env: { ...process.env, AWS_SES_ACCOUNT: JSON.stringify(localSesAccount()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    probe: async (url, signal) => (await fetch(`${url}/health-check`, { signal })).ok,
  });
}
