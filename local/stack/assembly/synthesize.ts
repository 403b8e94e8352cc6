import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SynthError } from '../../errors';
import { synthInputs } from './synth-inputs';

/** Options for {@link synthesize}. */
export interface SynthesizeOptions {
  /** The CDK project (where cdk.json is). @default process.cwd() */
  readonly projectDir?: string;
  /** Where the cloud assembly is written. @default `<projectDir>/.local/cdk.out` */
  readonly outdir?: string;
  /** Extra `--context key=value` pairs. */
  readonly context?: Readonly<Record<string, string>>;
  /** Receives each line cdk prints. */
  readonly log?: (line: string) => void;
  /** Aborting stops `cdk synth` and everything it started (the app, esbuild), and rejects. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `cdk synth` (the project's own CDK CLI, quietly, telemetry and notices off) into
 * `outdir` and returns that directory. What runs locally is then exactly what
 * `cdk deploy` would deploy: the same template and the same esbuild bundles.
 *
 * @example
 * const dir = await synthesize({ projectDir: '/work/main' }); // '/work/main/.local/cdk.out'
 */
export async function synthesize(options: SynthesizeOptions = {}): Promise<string> {
  const { projectDir, outdir } = resolveDirs(options);
  options.signal?.throwIfAborted();
  mkdirSync(outdir, { recursive: true });
  const bin = path.join(projectDir, 'node_modules', '.bin');
  const args = ['synth', '--quiet', '--no-notices', '--output', outdir];
  for (const [key, value] of Object.entries(options.context ?? {})) args.push('--context', `${key}=${value}`);

  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(path.join(bin, 'cdk'), args, {
      cwd: projectDir,
      // The project's node_modules/.bin first: its `node` is the pinned Node 24.
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: cdk runs the app through npx/tsx, and only a group kill stops all of them.
      detached: true,
    });
    const stop = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        output.push(line);
        options.log?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => reject(new SynthError(`Could not run ${path.join(bin, 'cdk')}: is \`npm ci\` done?`, { cause: error })));
    child.once('close', (exitCode) => {
      options.signal?.removeEventListener('abort', stop);
      resolve(exitCode);
    });
  });
  options.signal?.throwIfAborted();
  if (code !== 0) {
    throw new SynthError(`\`cdk synth\` failed (exit ${code}):\n  ${output.slice(-30).join('\n  ')}`);
  }
  return outdir;
}

/** What {@link synthesizeUnlessUnchanged} did. */
export interface SynthOutcome {
  /** The cloud assembly directory. */
  readonly outdir: string;
  /** Set when the synth was skipped: when the assembly in `outdir` was synthesized (ISO 8601). */
  readonly unchangedSince?: string;
  /** Why it synthesized (e.g. "sources or context changed"), or "sources unchanged". */
  readonly reason: string;
}

/** Options for {@link synthesizeUnlessUnchanged}. */
export interface SynthesizeUnlessUnchangedOptions extends SynthesizeOptions {
  /** Synthesize even when the inputs did not change. @default false */
  readonly force?: boolean;
  /** Runs the synth. @default synthesize */
  readonly run?: (options: SynthesizeOptions) => Promise<string>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Beside manifest.json: the inputs the assembly was synthesized from. */
export const SYNTH_STAMP_FILE = 'synth-inputs.json';

interface SynthStamp {
  readonly hash: string;
  readonly files: number;
  readonly synthesizedAt: string;
}

/**
 * {@link synthesize}, unless the assembly in `outdir` was synthesized from the same inputs
 * (sources, project files, context: see `synthInputs`), recorded by a content hash in
 * `outdir/synth-inputs.json`. The hash is taken before the synth runs and written only after
 * it succeeds, so an edit during the synth, or a failed or interrupted one, means a new synth
 * next time.
 *
 * @example
 * const { outdir, unchangedSince } = await synthesizeUnlessUnchanged({ outdir: '.local/cdk.out' });
 */
export async function synthesizeUnlessUnchanged(options: SynthesizeUnlessUnchangedOptions = {}): Promise<SynthOutcome> {
  const { projectDir, outdir } = resolveDirs(options);
  const stampFile = path.join(outdir, SYNTH_STAMP_FILE);
  const inputs = synthInputs(projectDir, options.context);
  const stamp = readStamp(stampFile);
  const reusable = existsSync(path.join(outdir, 'manifest.json'));
  if (!options.force && inputs && stamp?.hash === inputs.hash && reusable) {
    return { outdir, unchangedSince: stamp.synthesizedAt, reason: 'sources unchanged' };
  }
  const reason = options.force
    ? 'forced'
    : !inputs
      ? 'cdk.json has no watch.include to tell the sources'
      : !stamp || !reusable
        ? 'no earlier synth recorded here'
        : 'sources or context changed';
  rmSync(stampFile, { force: true });
  const synthesizedAt = (options.now ?? (() => new Date()))().toISOString();
  await (options.run ?? synthesize)({ ...options, projectDir, outdir });
  if (inputs) writeFileSync(stampFile, `${JSON.stringify({ ...inputs, synthesizedAt } satisfies SynthStamp, null, 2)}\n`);
  return { outdir, reason };
}

function resolveDirs(options: SynthesizeOptions): { projectDir: string; outdir: string } {
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  return { projectDir, outdir: path.resolve(options.outdir ?? path.join(projectDir, '.local', 'cdk.out')) };
}

function readStamp(file: string): SynthStamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(file, 'utf8')) as Partial<SynthStamp>;
    return typeof stamp.hash === 'string' && typeof stamp.synthesizedAt === 'string' ? (stamp as SynthStamp) : undefined;
  } catch {
    return undefined;
  }
}
