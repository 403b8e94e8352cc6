import { directoryApplyDeps } from '../../lambdas/directory/apply-deps-wiring';
import { directoryCheckHandler, directoryLineHandler } from '../../lambdas/directory/directory-lines';
import { MAX_DIRECTORY_BODY_BYTES } from '../../lambdas/directory/directory-event';
import { backfillFile, defaultCheckpointFile } from '../backfill/backfill-file';
import { UsageError } from '../errors';
import { defineCommand } from '../framework/define-command';
import { seedTablesOf } from '../seed/write-seed';
import { requireOutput, resolveTarget } from '../stack-target';

/** Issues printed at most; the checkpoint file holds the first 1000. */
const PRINTED_ISSUES = 20;

/**
 * `backfill <file>`: loads a directory snapshot (JSON Lines of directory events v1,
 * docs/directory-events.md, "Backfill") into the target stack with the directory function's
 * own apply code: idempotent, resumable (`--resume`), in bounded memory. Prints the report
 * (applied, unchanged, refused with line, field and rule), the time taken and the peak memory.
 * A dev and migration tool: it writes the tables directly (large snapshots go to the import
 * bucket instead, see the docs).
 */
export const backfillCommand = defineCommand({
  name: 'backfill',
  summary: 'load a directory snapshot (JSON Lines of directory events, docs/directory-events.md) with the directory apply code',
  details: [
    'Each line is one directory event of contract v1; a bad line is refused with its line, field and rule, the rest go in.',
    'A checkpoint <file>.backfill.json is written every second: --resume continues from it after a crash or Ctrl-C.',
  ],
  args: [{ name: 'file', description: 'the snapshot (JSON Lines)' }],
  options: {
    resume: { type: 'boolean', default: false, description: 'continue from <file>.backfill.json' },
    check: { type: 'boolean', default: false, description: 'only check every line against contract v1; write nothing (checkpoint <file>.check.json)' },
    concurrency: { type: 'string', default: '32', placeholder: '<n>', description: 'events applied at once (1-256)' },
  },
  target: 'stack',
  examples: ['npx tsx cli/main.ts backfill snapshot.jsonl', 'npx tsx cli/main.ts backfill snapshot.jsonl --resume'],
  run: async ({ args, options, target: where, io }) => {
    const concurrency = Number(options.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError('--concurrency must be an integer from 1 to 256.');
    const target = options.check ? undefined : resolveTarget(where);
    try {
      const handler = target
        ? directoryLineHandler(directoryApplyDeps(target.documentClient, seedTablesOf((key) => requireOutput(target, key))))
        : directoryCheckHandler(() => new Date());
      const checkpointFile = options.check ? `${args.file}.check.json` : defaultCheckpointFile(args.file);
      const started = performance.now();
      const { report } = await backfillFile(args.file, handler, {
        checkpointFile,
        resume: options.resume,
        concurrency,
        maxLineBytes: MAX_DIRECTORY_BODY_BYTES,
        onProgress: (r, position) =>
          io.print(
            target
              ? `  … line ${position.nextLine - 1}: ${r.applied} applied, ${r.unchanged} unchanged, ${r.refused} refused`
              : `  … line ${position.nextLine - 1}: ${r.applied} valid, ${r.refused} refused`,
          ),
      });
      const seconds = (performance.now() - started) / 1000;
      const stats = `this run ${seconds.toFixed(1)} s; peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;
      io.print(
        target
          ? `Backfilled ${args.file} into the ${target.description}: ${report.lines} events, ${report.applied} applied, ${report.unchanged} unchanged, ${report.refused} refused (${stats}).`
          : `Checked ${args.file}: ${report.lines} events, ${report.applied} valid, ${report.refused} refused; nothing written (${stats}).`,
      );
      for (const issue of report.issues.slice(0, PRINTED_ISSUES)) io.print(`  line ${issue.line}: ${issue.field}: ${issue.rule}`);
      if (report.issues.length > PRINTED_ISSUES || report.issuesTruncated) {
        io.print(`  … more in ${checkpointFile} (the first ${report.issues.length}${report.issuesTruncated ? '; there are more' : ''}).`);
      }
      return report.refused > 0 ? 1 : 0;
    } finally {
      target?.destroy();
    }
  },
});
