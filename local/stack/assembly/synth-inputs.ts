import { createHash } from 'node:crypto';
import { existsSync, globSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Project files `cdk synth` reads besides the app's sources: the app command and context
 * (cdk.json, cdk.context.json), the dependencies that build and bundle it (package.json,
 * package-lock.json, and patch-package's patches of them), and the compiler settings.
 */
export const SYNTH_PROJECT_FILES = ['cdk.json', 'cdk.context.json', 'package.json', 'package-lock.json', 'tsconfig.json'] as const;

/** Patch-package's patches: they change node_modules without changing the lock file. */
const PATCH_GLOB = 'patches/**';

/** A fingerprint of what one `cdk synth` would read. */
export interface SynthInputs {
  /** SHA-256 (hex) over every input file's path and content, and the extra context. */
  readonly hash: string;
  /** How many files went into it. */
  readonly files: number;
}

/**
 * Fingerprints the inputs of `cdk synth` in `projectDir`: the sources cdk.json's
 * `watch.include` globs name (less `watch.exclude`; what `cdk watch` already treats as the
 * app's sources), {@link SYNTH_PROJECT_FILES}, `patches/`, and the extra `--context` pairs.
 * Returns `undefined` when cdk.json has no `watch.include`: then nothing says which sources
 * the app reads, and every run must synthesize.
 *
 * @example
 * synthInputs('/work/main', {})?.hash // 'c0ffee…'
 */
export function synthInputs(projectDir: string, context: Readonly<Record<string, string>> = {}): SynthInputs | undefined {
  const watch = readWatchSettings(projectDir);
  if (!watch) return undefined;
  const excluded = new Set(watch.exclude.length > 0 ? globSync(watch.exclude, { cwd: projectDir }) : []);
  const sources = globSync([...watch.include, PATCH_GLOB], { cwd: projectDir }).filter(
    (file) => !excluded.has(file) && !file.split(path.sep).includes('node_modules') && statSync(path.join(projectDir, file)).isFile(),
  );
  const project = SYNTH_PROJECT_FILES.filter((file) => existsSync(path.join(projectDir, file)));
  const files = [...new Set([...sources, ...project])].sort();

  const hash = createHash('sha256');
  for (const file of files) {
    // Path and length first: a file renamed or content moved between files changes the hash.
    const content = readFileSync(path.join(projectDir, file));
    hash.update(`${file.split(path.sep).join('/')}\0${content.length}\0`).update(content);
  }
  hash.update(`context\0${JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)))}`);
  return { hash: hash.digest('hex'), files: files.length };
}

function readWatchSettings(projectDir: string): { include: string[]; exclude: string[] } | undefined {
  let cdkJson: { watch?: { include?: string | string[]; exclude?: string | string[] } };
  try {
    cdkJson = JSON.parse(readFileSync(path.join(projectDir, 'cdk.json'), 'utf8')) as typeof cdkJson;
  } catch {
    return undefined;
  }
  const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());
  const include = list(cdkJson.watch?.include);
  return include.length > 0 ? { include, exclude: list(cdkJson.watch?.exclude) } : undefined;
}
