import * as z from 'zod/mini';
import { importSendLog } from '../../imports/send-log/import-send-log';
import { defineOperatorCommand } from '../operator-command';
import { contractObject, typeRule } from '../../platform/contract-schema';
import { integerField, stringField } from './fields';

/** Lines one request may carry; with lines of at most 16 KiB a page stays far under Lambda's 6 MB payload. */
export const MAX_IMPORT_LINES_PER_REQUEST = 5_000;

/**
 * `import`: one page of another system's send log (JSON Lines, docs/send-log-format.md) into
 * the ledger, each line validated on its own; `firstLine` numbers the page's lines as in the
 * file. Answers the page's counts and every refused line with its field and rule.
 */
export const importCommand = defineOperatorCommand({
  name: 'import',
  request: contractObject({
    lines: z.array(z.string({ error: 'must be a string' }), typeRule('must be an array of strings')).check(
      z.minLength(1, { error: 'must hold at least one line' }),
      z.maxLength(MAX_IMPORT_LINES_PER_REQUEST, { error: `must hold at most ${MAX_IMPORT_LINES_PER_REQUEST} lines (send more pages)` }),
    ),
    firstLine: z.optional(integerField(1)),
    /** The file's name, for the operator's messages only. */
    file: z.optional(stringField()),
  }, '"import"'),
  run: ({ lines, firstLine }, { deps, caller }) =>
    importSendLog(lines, deps.imports, {
      now: deps.run.now,
      ...(firstLine ? { firstLine } : {}),
      // In the form S3 names an uploader, so both ways in are compared alike (two-person-rule.ts).
      ...(caller.userId ? { importedBy: `AWS:${caller.userId}` } : {}),
    }),
});
