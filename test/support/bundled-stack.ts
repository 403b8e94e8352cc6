import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_AWS_REGION, type LocalStack, startLocalStack } from '@registry-notices/local-stack';
import type { RegistryNoticesStack } from '../../lib/registry-notices-stack';
import { buildStack } from '../infra/helpers';

/**
 * The app as bin/ builds it (context over cdk.json's), bundled for real by esbuild, and run
 * on this run's emulators by the local engine under a fresh name prefix: schedules not armed
 * (tests fire them), function URLs on free ports.
 */
export async function startBundledStack(options: {
  readonly context?: Record<string, unknown>;
  readonly prefix: string;
  /** Endpoints in place of the run's emulators (e.g. an SES emulator the test kills and restarts). */
  readonly endpoints?: Partial<EmulatorEndpoints>;
  /** Each line a function logs, with its logical id (e.g. to show a failing test's function errors). */
  readonly functionLog?: (functionLogicalId: string, line: string) => void;
}): Promise<{ local: LocalStack; stack: RegistryNoticesStack }> {
  const outdir = mkdtempSync(path.join(tmpdir(), `${options.prefix}-cdk-out-`));
  const { app, stack } = buildStack({ bundle: true, outdir, ...(options.context ? { context: options.context } : {}) });
  app.synth();
  const endpoints = { ...inject('emulatorEndpoints'), ...options.endpoints };
  const local = await startLocalStack({
    cloudAssembly: outdir,
    endpoints,
    functionEnvironment: emulatorEnv(endpoints),
    region: LOCAL_AWS_REGION,
    namePrefix: `${options.prefix}${randomUUID().slice(0, 6)}`,
    schedules: false,
    functionUrlPort: 0,
    ...(options.functionLog ? { functionLog: options.functionLog } : {}),
  });
  return { local, stack };
}
