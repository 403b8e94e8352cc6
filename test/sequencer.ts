import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first, as a fresh-clone run measured them (most of it
 * waiting on timers: visibility timeouts, a 10 s SES outage, campaign pacing; or on a local stack).
 */
const LONGEST_FIRST = [
  'test/integration/audit/local-stack-apology-crash.test.ts',
  'test/integration/audit/apology-campaign.test.ts',
  'test/integration/audit/local-stack-campaign-ses-outage.test.ts',
  'test/integration/audit/cli-operator-flow.test.ts',
  'test/integration/ses-feedback-forgery.test.ts',
  'test/integration/notice-cli.test.ts',
  'test/integration/audit/campaign-paging.test.ts',
  'test/integration/one-click-unsubscribe.test.ts',
];

/**
 * Vitest's order (groups, then projects, then failed and longest first by the durations it
 * cached from earlier runs), with one change for a fresh clone, which has no cache and which
 * vitest orders by file size: the files above go first in their project. A long file that starts
 * last is the run's tail with one worker busy; started first, the other worker's files overlap it.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const at = LONGEST_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    const runs: TestSpecification[][] = [];
    for (const spec of sorted) {
      const run = runs.at(-1);
      if (run && run[0]!.project === spec.project) run.push(spec);
      else runs.push([spec]);
    }
    const uncached = (spec: TestSpecification): boolean => !this.ctx.cache.getTestSpecificationResult(spec);
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return runs.flatMap((run) => (run.some(uncached) ? [...run].sort((a, b) => rank(a) - rank(b)) : run));
  }
}
