import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_AWS_REGION, type LocalStack, startLocalStack } from '@registry-notices/local-stack';
import type { RegistryNoticesStack } from '../../lib/registry-notices-stack';
import { buildStack } from '../infra/helpers';

/**
 * The app as bin/ builds it (context over cdk.json's), bundled for real by esbuild, and run
 * on this run's emulators by the local engine under a fresh name prefix: schedules not armed
 * (tests fire them), function URLs on free ports.
 *
 * The cloud assembly is synthesized once per run for each context ({@link bundledAssembly})
 * and shared by the files that ask for that context: a local stack only reads it. The stack
 * object returned is then the same app built without bundling: the same construct tree and
 * logical ids.
 */
export async function startBundledStack(options: {
  readonly context?: Record<string, unknown>;
  readonly prefix: string;
  /** Endpoints in place of the run's emulators (e.g. an SES emulator the test kills and restarts). */
  readonly endpoints?: Partial<EmulatorEndpoints>;
  /** Each line a function logs, with its logical id (e.g. to show a failing test's function errors). */
  readonly functionLog?: (functionLogicalId: string, line: string) => void;
}): Promise<{ local: LocalStack; stack: RegistryNoticesStack }> {
  const context = options.context ? { context: options.context } : {};
  const cloudAssembly = await bundledAssembly(options.context ?? {});
  const { stack } = buildStack(context);
  const endpoints = { ...inject('emulatorEndpoints'), ...options.endpoints };
  const local = await startLocalStack({
    cloudAssembly,
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

/** How long a file waits for another file's synth of the same context. */
const SYNTH_WAIT_MS = 240_000;

/**
 * The directory of the bundled cloud assembly for `context`, synthesized by the first file of
 * the run that asks for it (the others wait for it), in the run's directory from global setup.
 * Files run in separate processes: `mkdir` of the lock is the one atomic step, `done` the signal.
 */
export async function bundledAssembly(context: Record<string, unknown>): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)))).digest('hex').slice(0, 16);
  const root = inject('bundledAssemblies');
  const outdir = path.join(root, key);
  const done = path.join(root, `${key}.done`);
  const failed = path.join(root, `${key}.failed`);
  let mine = true;
  try {
    mkdirSync(path.join(root, `${key}.lock`));
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      buildStack({ bundle: true, outdir, ...(Object.keys(context).length > 0 ? { context } : {}) }).app.synth();
      writeFileSync(done, outdir);
    } catch (error) {
      writeFileSync(failed, String((error as Error).stack ?? error));
      throw error;
    }
    return outdir;
  }
  const deadline = Date.now() + SYNTH_WAIT_MS;
  for (;;) {
    if (existsSync(done)) return outdir;
    if (existsSync(failed)) throw new Error(`The bundled synth of ${JSON.stringify(context)} failed in another file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`No bundled synth of ${JSON.stringify(context)} within ${SYNTH_WAIT_MS} ms (${outdir})`);
    await sleep(250);
  }
}
