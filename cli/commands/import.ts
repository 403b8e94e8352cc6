import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ImportReport } from '../../lambdas/imports/send-log/import-send-log';
import { OPERATOR_COMMAND_SUMMARIES } from '../../lambdas/operator/command-catalog';
import { MAX_IMPORT_LINES_PER_REQUEST } from '../../lambdas/operator/commands/import';
import { defineCommand, type CommandIo } from '../framework/define-command';
import { operatorEndpoint, type OperatorEndpoint } from '../operator/operator-endpoint';
import { resolveTarget } from '../stack-target';
import { importViaS3 } from './import-via-s3';

/** Bytes of lines per request: well under the function URL's 6 MB payload limit, JSON escaping included. */
const PAGE_BYTES = 2 * 1024 * 1024;
/** Refused lines printed at most. */
const MAX_ISSUES_SHOWN = 1000;

/**
 * Reads a send log line by line and posts it to the endpoint in pages (at most
 * {@link MAX_IMPORT_LINES_PER_REQUEST} lines and {@link PAGE_BYTES} each), numbering each
 * page's lines as in the file; adds the pages' reports up.
 *
 * @example
 * const report = await importInPages(endpoint, 'legacy.jsonl');
 */
export async function importInPages(endpoint: OperatorEndpoint, file: string): Promise<ImportReport> {
  const total: ImportReport = { lines: 0, accepted: 0, alreadyPresent: 0, refused: 0, issues: [], issuesTruncated: false };
  let page: string[] = [];
  let pageBytes = 0;
  let firstLine = 1;
  const send = async (): Promise<void> => {
    if (page.length === 0) return;
    const report = await endpoint.call('import', { lines: page, firstLine, file });
    total.lines += report.lines;
    total.accepted += report.accepted;
    total.alreadyPresent += report.alreadyPresent;
    total.refused += report.refused;
    for (const issue of report.issues) {
      if (total.issues.length < MAX_ISSUES_SHOWN) total.issues.push(issue);
      else total.issuesTruncated = true;
    }
    total.issuesTruncated ||= report.issuesTruncated;
    firstLine += page.length;
    page = [];
    pageBytes = 0;
  };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const bytes = Buffer.byteLength(line, 'utf8');
    if (page.length >= MAX_IMPORT_LINES_PER_REQUEST || (page.length > 0 && pageBytes + bytes > PAGE_BYTES)) await send();
    page.push(line);
    pageBytes += bytes;
  }
  await send();
  return total;
}

/** Prints an import's refused lines (the first {@link MAX_ISSUES_SHOWN}) and its counts. */
function printReport(io: CommandIo, what: string, report: ImportReport): void {
  for (const issue of report.issues.slice(0, MAX_ISSUES_SHOWN)) io.print(`  line ${issue.line}: ${issue.field} ${issue.rule}`);
  if (report.issuesTruncated || report.issues.length > MAX_ISSUES_SHOWN) io.print('  ... more issues not shown');
  io.print(`${what}: ${report.lines} lines, ${report.accepted} accepted, ${report.alreadyPresent} already imported, ${report.refused} refused.`);
  if (report.accepted > 0) io.print('The next audit run checks the new rows; declare an incident to apologise for wrong ones.');
}

/**
 * `import <file>`: loads another system's send log (JSON Lines, docs/send-log-format.md) into
 * the ledger, each line validated on its own; prints the counts and every refused line with its
 * field and rule. Re-importing the same file adds nothing. By default the file is read here and
 * posted to the operator endpoint in pages; with `--s3` (large logs) it is uploaded to the
 * import bucket and the S3 import function imports it in bounded memory, resumably.
 */
export const importCommand = defineCommand({
  name: 'import',
  // Not defineOperatorCliCommand: with --s3 it talks to the bucket, not the endpoint.
  summary: OPERATOR_COMMAND_SUMMARIES.import,
  details: [
    'The file is read here and posted to the operator endpoint in pages; the function writes the ledger.',
    'With --s3 it is uploaded to the import bucket (send-logs/) instead, imported there chunk by chunk, and this waits for the report.',
  ],
  args: [{ name: 'file', description: 'the send log' }],
  options: {
    s3: { type: 'boolean', default: false, description: 'upload to the import bucket and let the S3 import function import it (large logs)' },
  },
  target: 'operator',
  examples: ['npx tsx cli/main.ts import docs/examples/legacy-send-log.jsonl', 'npx tsx cli/main.ts import big-send-log.jsonl --s3'],
  run: async ({ args, options, target, io }) => {
    if (options.s3) {
      const stack = resolveTarget(target);
      try {
        const { key, report } = await importViaS3(stack, args.file, {
          onProgress: (p) => io.print(`  … s3://${p.bucket}/${p.key}: line ${p.position.nextLine - 1}, ${p.report.applied} accepted, ${p.report.refused} refused`),
        });
        printReport(io, `Imported ${args.file} through the import bucket of the ${stack.description} (${key})`, report);
      } finally {
        stack.destroy();
      }
      return;
    }
    const endpoint = operatorEndpoint(target, io.env);
    printReport(io, `Imported ${args.file} into the ${endpoint.description}`, await importInPages(endpoint, args.file));
  },
});
