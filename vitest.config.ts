import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` runs three projects:
 * - unit: fast, no I/O beyond the process;
 * - integration: against the local emulators, which `test/global-setup.ts` starts once per run
 *   (only when an integration test is selected);
 * - infra: CDK synth/assertions, CPU-heavy (bundling), hence the long timeout.
 *
 * An unhandled rejection or uncaught exception is a bug: it fails the test it surfaced in, by
 * name (`test/fail-on-unhandled-errors.ts`), and the run (vitest's default, kept explicit).
 */
export default defineConfig({
  test: {
    setupFiles: ['test/fail-on-unhandled-errors.ts'],
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      {
        extends: true,
        // Middleware keeps its unit and fuzz tests beside the code, as Middy does.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'lambdas/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          // The emulators (a JVM among them) are shared and the CI box has 2 cores: one file at a
          // time keeps timings predictable and lets a file clear shared state (e.g. the mailbox).
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
