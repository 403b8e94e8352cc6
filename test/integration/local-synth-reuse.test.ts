import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SynthesizeOptions, synthesizeUnlessUnchanged } from '@registry-notices/local-stack';

/** A CDK project on disk whose synth is a stand-in that writes a manifest and counts its runs. */
function project(cdkJson: object = { app: 'node bin/app.js', watch: { include: ['bin/**', 'lib/**'], exclude: ['lib/**/*.md'] } }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-reuse-'));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write('cdk.json', JSON.stringify(cdkJson));
  write('package-lock.json', '{"lockfileVersion":3}');
  write('bin/app.js', 'app v1');
  write('lib/stack.js', 'stack v1');
  write('README.md', 'docs');
  const runs: SynthesizeOptions[] = [];
  let failNext = false;
  const run = async (options: SynthesizeOptions): Promise<string> => {
    runs.push(options);
    if (failNext) {
      failNext = false;
      throw new Error('synth failed');
    }
    write('cdk.out/manifest.json', '{}');
    return options.outdir!;
  };
  let clock = Date.parse('2026-01-01T10:00:00Z');
  const synth = (extra: { context?: Record<string, string>; force?: boolean } = {}) =>
    synthesizeUnlessUnchanged({ projectDir: dir, outdir: path.join(dir, 'cdk.out'), run, now: () => new Date((clock += 60_000)), ...extra });
  return { dir, write, runs, synth, failNextRun: () => (failNext = true) };
}

describe('synthesizeUnlessUnchanged (npm start reuses the cloud assembly)', () => {
  let p: ReturnType<typeof project>;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => rmSync(p.dir, { recursive: true, force: true }));

  it('synthesizes the first time, then skips while sources and context are unchanged, saying since when', async () => {
    // Act
    const first = await p.synth();
    const second = await p.synth();

    // Assess
    expect(first).toMatchObject({ reason: 'no earlier synth recorded here' });
    expect(first.unchangedSince).toBeUndefined();
    expect(second).toMatchObject({ unchangedSince: '2026-01-01T10:01:00.000Z', reason: 'sources unchanged' });
    expect(p.runs).toHaveLength(1);
  });

  it('synthesizes again when a source, a new source file, the lock file or the context changes', async () => {
    // Prepare
    await p.synth();

    // Act
    p.write('lib/stack.js', 'stack v2');
    const edited = await p.synth();
    p.write('lib/new-construct.js', 'new');
    const added = await p.synth();
    p.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
    const relocked = await p.synth();
    const withContext = await p.synth({ context: { notifyBatchSize: '5' } });
    const sameContext = await p.synth({ context: { notifyBatchSize: '5' } });

    // Assess
    expect([edited, added, relocked, withContext].map((o) => o.reason)).toEqual(Array(4).fill('sources or context changed'));
    expect(sameContext.unchangedSince).toBeDefined();
    expect(p.runs).toHaveLength(5);
  });

  it('ignores files outside watch.include and those watch.exclude names', async () => {
    // Prepare
    await p.synth();

    // Act
    p.write('README.md', 'more docs');
    p.write('lib/notes.md', 'excluded');
    const outcome = await p.synth();

    // Assess
    expect(outcome.unchangedSince).toBeDefined();
    expect(p.runs).toHaveLength(1);
  });

  it('synthesizes when forced, and after a failed synth (which leaves no record of its inputs)', async () => {
    // Prepare
    await p.synth();

    // Act
    const forced = await p.synth({ force: true });
    p.failNextRun();
    const failed = p.synth({ force: true }).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const afterFailure = await failed.then(() => p.synth());

    // Assess
    expect(forced).toMatchObject({ reason: 'forced' });
    expect(await failed).toBe('synth failed');
    expect(afterFailure).toMatchObject({ reason: 'no earlier synth recorded here' });
    expect(p.runs).toHaveLength(4);
  });

  it('always synthesizes when cdk.json names no watch.include (nothing tells the sources)', async () => {
    // Prepare
    const bare = project({ app: 'node bin/app.js' });

    try {
      // Act
      await bare.synth();
      const second = await bare.synth();

      // Assess
      expect(second).toMatchObject({ reason: 'cdk.json has no watch.include to tell the sources' });
      expect(bare.runs).toHaveLength(2);
    } finally {
      rmSync(bare.dir, { recursive: true, force: true });
    }
  });
});
