import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SynthError } from '../errors';

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
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const outdir = path.resolve(options.outdir ?? path.join(projectDir, '.local', 'cdk.out'));
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
    });
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
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new SynthError(`\`cdk synth\` failed (exit ${code}):\n  ${output.slice(-30).join('\n  ')}`);
  }
  return outdir;
}
