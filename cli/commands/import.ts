import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { importSendLog, type ImportReport } from '../../lambdas/audit/import-send-log';
import type { AuditCliTarget } from '../audit/audit-target';

/**
 * `import <file>`: loads a send log of another system (JSON Lines, docs/send-log-format.md)
 * into the ledger, each line validated on its own; prints the counts and every refused
 * line with its field and rule. Re-importing the same file adds nothing.
 *
 * @example
 * await importCommand(target, 'local/demo/legacy-send-log.jsonl', console.log);
 */
export async function importCommand(target: AuditCliTarget, file: string, print: (line: string) => void): Promise<ImportReport> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  const report = await importSendLog(lines, target.imports, { now: () => new Date() });
  for (const issue of report.issues) print(`  line ${issue.line}: ${issue.field} ${issue.rule}`);
  if (report.issuesTruncated) print(`  ... more issues not shown`);
  print(
    `Imported ${file} into the ${target.description}: ${report.lines} lines, ${report.accepted} accepted, ` +
      `${report.alreadyPresent} already imported, ${report.refused} refused.`,
  );
  if (report.accepted > 0) print('The next audit run checks the new rows; declare an incident to apologise for wrong ones.');
  return report;
}
