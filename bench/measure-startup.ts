import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs `npm start`'s entry with `--once --no-demo` on free ports and returns the "ready in"
 * seconds it reports: emulators and `cdk synth` (in parallel), provisioning, functions.
 *
 * @example
 * const seconds = await measureStartup('/work/main'); // ≈ 10–15
 */
export async function measureStartup(projectDir: string): Promise<number> {
  const bin = path.join(projectDir, 'node_modules', '.bin');
  const args = ['local/stack/start.ts', '--once', '--no-demo', '--sqs-port', '0', '--ses-port', '0', '--dynamodb-port', '0', '--ssm-port', '0', '--kms-port', '0', '--function-url-port', '0', '--cdk-out', '.local/bench-startup-cdk.out', '--state', '.local/bench-startup-stack.json', '--logs', '.local/bench-startup-logs'];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(path.join(bin, 'tsx'), args, {
      cwd: projectDir,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`npm start --once failed (${code}):\n${text}`))));
  });
  const ready = /ready in ([\d.]+) s/.exec(output);
  if (!ready) throw new Error(`npm start did not report its ready time:\n${output}`);
  return Number(ready[1]);
}
