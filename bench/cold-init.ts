import { spawn } from 'node:child_process';
import path from 'node:path';
import { lambdaEnvironment, LOCAL_AWS_REGION, LOCAL_CREDENTIALS } from '@registry-notices/local-stack';

const CHILD = path.join(import.meta.dirname, 'cold-init-child.mjs');

/** A bundle to start cold, with the environment its function gets. */
export interface InitSubject {
  readonly name: string;
  readonly file: string;
  readonly handlerExport: string;
  /** The function's own variables (the template's); Lambda's reserved ones are added. */
  readonly environment: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  readonly runtime: string;
}

/**
 * Cold init of each subject `runs` times, each in a fresh Node process (this Node, the
 * project's pinned 24) with Lambda's environment and the function's variables: the time to
 * import the bundle, which is Lambda's Init phase after the runtime itself started. The
 * subjects take turns in every round, so a busy moment of the machine hits all of them.
 *
 * @example
 * const times = await measureColdInit([bare, notify], 20); // Map { 'bare' => [88.1, ...], 'notify' => [...] }
 */
export async function measureColdInit(subjects: readonly InitSubject[], runs: number): Promise<Map<string, number[]>> {
  const times = new Map(subjects.map((s) => [s.name, [] as number[]]));
  for (let round = 0; round < runs; round += 1) {
    // Rotate who goes first, so none always runs right after another's process exits.
    for (let i = 0; i < subjects.length; i += 1) {
      const subject = subjects[(round + i) % subjects.length]!;
      times.get(subject.name)!.push(await initOnce(subject));
    }
  }
  return times;
}

async function initOnce(subject: InitSubject): Promise<number> {
  return (await coldStartOnce<{ initMs: number }>(subject, CHILD, [])).initMs;
}

/**
 * One cold start of `subject` in a fresh process running `child` (a plain-Node script that
 * imports the bundle and prints one JSON line starting `{"initMs"`), with Lambda's environment
 * and the function's variables only; the parsed line. Shared with bench/lean-breakdown.ts.
 */
export function coldStartOnce<T>(subject: InitSubject, child: string, extraArgs: readonly string[]): Promise<T> {
  const directory = path.dirname(subject.file);
  const env = lambdaEnvironment(
    {
      logicalId: subject.name,
      name: subject.name,
      arn: `arn:aws:lambda:${LOCAL_AWS_REGION}:000000000000:function:${subject.name}`,
      codeDirectory: directory,
      handlerFile: subject.file,
      handlerExport: subject.handlerExport,
      handler: `${path.basename(subject.file).replace(/\.[cm]?js$/, '')}.${subject.handlerExport}`,
      runtime: subject.runtime,
      timeoutSeconds: 30,
      memoryMb: subject.memoryMb,
      environment: subject.environment,
    },
    LOCAL_AWS_REGION,
    // As Lambda hands the role's keys to a function.
    { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: 'bench' },
  );
  return new Promise((resolve, reject) => {
    // Only Lambda's and the function's variables (its NODE_OPTIONS=--enable-source-maps): nothing of the bench's.
    const started = spawn(process.execPath, [child, subject.file, subject.handlerExport, ...extraArgs], { cwd: directory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    started.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    started.once('error', reject);
    started.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"initMs"'));
      if (code !== 0 || !line) reject(new Error(`cold init of ${subject.name} failed (exit ${code}):\n${err || out}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}
