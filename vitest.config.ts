import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The three longest integration files, which mostly wait on timers (SQS visibility timeouts, a
 * DynamoDB fault proxy's stalls, campaign pacing): on a fresh clone they start first, and the
 * unit and infra files run beside them in the fourth worker, one after the other (below).
 */
const FIRST_ORDER = [
  'test/integration/dynamodb-faults.test.ts', // waits: 67-145 s, 23 CPU-s
  'test/integration/audit/local-stack-apology-crash.test.ts', // waits: 80 s, 36 CPU-s
  'test/integration/audit/apology-campaign.test.ts', // waits: 53-68 s, 9 CPU-s
];

/**
 * Where a fresh clone's run starts its other integration files, after the unit and infra files
 * (measured on one, 2026-12-08 00:31, CPU-seconds against wall seconds). Those that mostly wait
 * ("waits") go between files that keep the cores busy ("busy"): started side by side, three
 * waiting files left both cores idle for about 50 s of that run (vmstat), a sixth of it.
 */
const START_ORDER = [
  'test/integration/npm-start.test.ts', // busy: 47 s, about 45 CPU-s in its child processes
  'test/integration/console-browser.test.ts', // busy: 26 s, 29 CPU-s and Chromium's
  'test/integration/local-stack.test.ts', // busy: 14 s, 16 CPU-s
  'test/integration/audit/local-stack-incident.test.ts', // busy: 10 s, 13 CPU-s
  'test/integration/audit/local-stack-campaign-ses-outage.test.ts', // waits: 31 s, 19 CPU-s
  'test/integration/audit/cli-operator-flow.test.ts', // busy: 6 s, 12 CPU-s
  'test/integration/audit/campaign-paging.test.ts', // busy: 16 s, 10 CPU-s
  'test/integration/local-stack-runner.test.ts', // waits: 33 s, 3 CPU-s
  'test/integration/one-click-unsubscribe.test.ts', // busy: 14 s, 9 CPU-s
  'test/integration/directory/erasure-everywhere.test.ts', // busy: 8 CPU-s
  'test/integration/audit/one-apology-per-notice.test.ts', // waits: 11-27 s, 7 CPU-s
  'test/integration/directory/apply-directory-events.test.ts', // busy: 11 s, 5 CPU-s
  'test/integration/notice-cli.test.ts', // waits: 19 s, 6 CPU-s
  'test/integration/notify-handler.test.ts', // busy: 11 s, 4 CPU-s
  'test/integration/operator-two-person.test.ts', // busy: 6 s, 5 CPU-s
];

/**
 * Vitest's order (groups, then projects by name, then failed and longest first by the durations
 * it cached from earlier runs), with one change for a fresh clone, which has no cache and which
 * vitest orders by project, then file size: FIRST_ORDER's files, then the infra and the unit
 * files, then the other integration files, START_ORDER's first in that order.
 *
 * Why the unit and infra files in the middle: their projects run with `isolate: false`, and a
 * worker that ends such a file takes the next one into the same process only if the next in the
 * queue is of its project. Queued first (vitest's order), they started in every worker at
 * once: a process in each importing aws-cdk-lib, starting CDK's validation engine and
 * warming up V8 on the same code. One after the other beside the long waiting files, they
 * run in one process each: `--project infra` took 61 CPU-s with 3 workers against 28 with 1, and
 * `--project unit` 27 against 20 (2026-12-08 02:58, box loaded to 5 by other work).
 */
class StartOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const uncached = (spec: TestSpecification): boolean => !this.ctx.cache.getTestSpecificationResult(spec);
    if (!sorted.some(uncached)) return sorted;
    const rank = (spec: TestSpecification): number => {
      const is = (file: string): boolean => spec.moduleId.endsWith(`/${file}`);
      const first = FIRST_ORDER.findIndex(is);
      if (first >= 0) return first;
      if (spec.project.name === 'infra') return FIRST_ORDER.length;
      if (spec.project.name === 'unit') return FIRST_ORDER.length + 1;
      const start = START_ORDER.findIndex(is);
      return FIRST_ORDER.length + 2 + (start >= 0 ? start : START_ORDER.length);
    };
    // Array.prototype.sort is stable: files of one rank keep vitest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * One `vitest run` runs three projects, side by side:
 * - unit: fast, no I/O beyond the process;
 * - infra: CDK synth/assertions, CPU-heavy (bundling), hence the long timeout;
 * - integration: against the local emulators, which `test/global-setup.ts` starts once per run
 *   (only when an integration test is selected); files side by side, each on its own names
 *   (random name prefixes, recipients of its own). No file may clear or count what others share:
 *   one that must (the SES emulator's clear, the demo's count of every email, `npm start`) starts
 *   an emulator of its own.
 *
 * unit and infra run with `isolate: false`: a worker imports aws-cdk-lib, the lambdas and
 * CDK's CloudFormation validation engine (about 5 CPU-seconds to start, once per process) once
 * for all the files it runs, not once per file. Their files share no mutable module state (no
 * vi.mock, no env or global stubs; the one fake-timer file restores real timers).
 *
 * Integration files run with `isolate: false` too: they set env vars and import handlers that
 * read it, so `test/integration-file-reset.ts` puts the worker's environment back and has our
 * modules evaluated again before each file, while the libraries (the AWS SDK, aws-cdk-lib, the
 * local stack's emulators' clients) stay loaded. A process per file (62 of them) cost each its
 * start and those imports: `vitest run --project integration` on this box took 585 CPU-s and
 * 5:17 with a process per file, 500 CPU-s and 4:39 without (2026-12-08 05:27 and 05:38, idle box).
 * A file must stop what it started in its afterAll: in a shared process, what it leaves running
 * stays for the files after it.
 *
 * Vitest's default is one worker on a 2-core box (available parallelism - 1), which ran every
 * file one after the other. More keep both cores busy while files wait on timers (SQS visibility,
 * campaign pacing, an SES outage) or emulators: on a fresh clone (2026-12-07 20:13) npm test took
 * 6:20 with three against 7:20 with two. Four, with the three longest waiting files first
 * (FIRST_ORDER) and the unit and infra files in the fourth worker: 4:50 against 5:01 with three
 * and two waiting files first (2026-12-08 03:27 and 03:33, vmstat: 32 idle core-seconds against
 * 103; the CPU rose from 491 to 535 CPU-s, four files contending). The timing-sensitive files
 * (pacing, crash, outage) held with three on a box loaded to 14 (22:41); the erasure test's
 * waits for the stack's functions were made longer than a loaded box needs, as its 60 s had run
 * out there.
 *
 * An unhandled rejection or uncaught exception is a bug: it fails the test it surfaced in, by
 * name (`test/fail-on-unhandled-errors.ts`), and the run (vitest's default, kept explicit).
 */
/**
 * Every project's setup files. The second: a fixed address-hash key, as a function has once it
 * derived its own at init. The third: a file's temporary directories (and aws-cdk-lib's cdk.out*)
 * go when it ends. Listed per project, not at the top: a project's list is added to the top one,
 * not put in its place, and integration's reset must come first.
 */
const SETUP_FILES = ['test/fail-on-unhandled-errors.ts', 'test/address-hash-test-key.ts', 'test/remove-temp-dirs.ts'];

export default defineConfig({
  test: {
    dangerouslyIgnoreUnhandledErrors: false,
    maxWorkers: 4,
    // On a fresh clone (no cached durations) FIRST_ORDER, then infra and unit one file after the other, then START_ORDER (above).
    sequence: { sequencer: StartOrderSequencer },
    projects: [
      {
        extends: true,
        // Middleware keeps its unit and fuzz tests beside the code, as Middy does.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'lambdas/**/*.test.ts'], isolate: false, setupFiles: SETUP_FILES },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false, setupFiles: SETUP_FILES, testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          // One process for file after file, not one per file (below); the first setup file puts the
          // environment back and has our modules evaluated again for each file.
          isolate: false,
          setupFiles: ['test/integration-file-reset.ts', ...SETUP_FILES],
          // The files run what the template deploys; that it is valid CloudFormation is the infra
          // project's to check (with CDK's validation on). Each process that synthesizes here
          // (`cdk synth` of the run's assembly, a context's own synth) spared starting the
          // validation engine: about 5 CPU-seconds each.
          env: { CDK_VALIDATION: 'false' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
