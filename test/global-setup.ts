/**
 * Vitest global setup of the `integration` project: starts the local emulators once per run on
 * free ports, hands their endpoints to tests (`inject('emulatorEndpoints')`), points unchanged AWS
 * SDK code at them through env vars, and stops them at the end. Set EMULATOR_LOG=1 to see their output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmulatorEndpoints, emulatorEnv, isProcessRunning, type RunningEmulators, startEmulators } from '@registry-notices/local-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs of the emulators started for this run. */
    emulatorEndpoints: EmulatorEndpoints;
    /** aws-ses-v2-local's mail viewer, handy when debugging a test. */
    sesViewerUrl: string;
    /** Where `startBundledStack` keeps this run's bundled cloud assemblies, one per context. */
    bundledAssemblies: string;
  }
}

/** The run's emulators, started by the first project that asks and stopped when the last one is done. */
interface SharedEmulators {
  readonly started: Promise<RunningEmulators>;
  /** A directory for the run's bundled cloud assemblies (test/support/bundled-stack.ts). */
  readonly bundledAssemblies: string;
  users: number;
  /** The env vars emulatorEnv() set, as they were before. */
  previous?: Record<string, string | undefined>;
}
const SHARED = Symbol.for('registry-notices.test.emulators');
type WithShared = typeof globalThis & { [SHARED]?: SharedEmulators };

const ASSEMBLIES_PREFIX = 'bundled-assemblies-';
/** The file in a run's assemblies directory that names the process of the run. */
const OWNER_FILE = 'owner.pid';

/**
 * A new directory for the run's bundled assemblies, stamped with this process's pid; removed at
 * teardown. A run killed before its teardown (Ctrl-C, a timeout) left its directory (tens of MB):
 * the next run removes those whose stamped process is gone, so at most one per live run exists.
 * A directory without a stamp (an older checkout's) is not ours to judge and stays.
 */
function assembliesDirectory(): string {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(ASSEMBLIES_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (Number.isInteger(owner) && owner > 0 && !isProcessRunning(owner)) rmSync(dir, { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(tmpdir(), ASSEMBLIES_PREFIX));
  writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/**
 * Vitest runs this file once per project that lists it (today only `integration`), in the one
 * main process: the emulators are kept on `globalThis`, so a second project would share them.
 */
function acquireEmulators(): SharedEmulators {
  const holder = globalThis as WithShared;
  holder[SHARED] ??= {
    users: 0,
    bundledAssemblies: assembliesDirectory(),
    started: (async () => {
      const startedAt = Date.now();
      const emulators = await startEmulators({
        ports: { sqs: 0, ses: 0, dynamodb: 0, ssm: 0, kms: 0 },
        ...(process.env.EMULATOR_LOG ? { log: (line: string) => console.log(`[emulators] ${line}`) } : {}),
      });
      if (process.env.EMULATOR_LOG) console.log(`[emulators] all ready in ${Date.now() - startedAt} ms`);
      return emulators;
    })(),
  };
  holder[SHARED].users += 1;
  return holder[SHARED];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = acquireEmulators();
  const emulators = await shared.started.catch((error: unknown) => {
    // No teardown follows a setup that throws: the directory goes now.
    rmSync(shared.bundledAssemblies, { recursive: true, force: true });
    throw error;
  });
  project.provide('emulatorEndpoints', emulators.endpoints);
  project.provide('sesViewerUrl', emulators.sesViewerUrl);
  project.provide('bundledAssemblies', shared.bundledAssemblies);

  // Workers are forked after global setup and inherit this env, so code under test that builds
  // its own SDK clients reaches the emulators (and never real AWS) without being told.
  const env = emulatorEnv(emulators.endpoints);
  shared.previous ??= Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    for (const [key, value] of Object.entries(shared.previous ?? {})) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    delete (globalThis as WithShared)[SHARED];
    rmSync(shared.bundledAssemblies, { recursive: true, force: true });
    await emulators.stop();
  };
}
