#!/usr/bin/env -S npx tsx
// registry-notices operator command line. `npx tsx cli/main.ts help` lists the commands.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { OperatorError } from '../local/operator-error';
import { DEFAULT_STATE_FILE } from '../local/stack/state-file';
import { AUDIT_COMMANDS, AUDIT_OPTIONS, AUDIT_USAGE, runAuditCommand } from './commands/audit-commands';
import { seedCommand } from './commands/seed';
import { sendCommand } from './commands/send';
import { UsageError } from './errors';
import { resolveTarget, TARGET_OPTIONS } from './stack-target';

const USAGE = `Usage: npx tsx cli/main.ts <command> [options]

Commands:
  seed <file>          write a seed file (docs/seed-format.md) into the registries,
                       customers and suppressions tables
  send <file|->        send purchase events (a JSON object or array; - reads stdin)
                       to the purchase queue
    --fresh-ids        append a run suffix to each eventId/purchaseId (replay a file)
  help                 this text

${AUDIT_USAGE}
Target (default: the local stack \`npm start\` runs):
  --state <file>       the local stack's state file (default ${DEFAULT_STATE_FILE})
  --aws                a deployed stack instead; credentials/region from the usual
                       AWS_PROFILE / AWS_REGION chain
  --outputs-file <f>   with --aws: \`cdk deploy --outputs-file\` output (default cdk-outputs.json)
  --stack <name>       with --aws: the stack name in that file (default RegistryNotices)
`;

/** Runs the command line; returns the process exit code. */
export async function main(argv: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseCommandLine(argv);
  const [command, file, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    print(USAGE);
    return 0;
  }
  const audit = (AUDIT_COMMANDS as readonly string[]).includes(command);
  if (!audit && command !== 'seed' && command !== 'send') throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  if (!audit && (file === undefined || extra.length > 0)) throw new UsageError(`${command} takes exactly one file.\n\n${USAGE}`);

  const target = resolveTarget({
    aws: values.aws,
    stateFile: values.state,
    ...(values['outputs-file'] ? { outputsFile: values['outputs-file'] } : {}),
    ...(values.stack ? { stackName: values.stack } : {}),
  });
  try {
    if (audit) return await runAuditCommand(argv, { stack: target, print });
    if (command === 'seed') await seedCommand(target, file ?? '', print);
    else await sendCommand(target, file ?? '', { freshIds: values['fresh-ids'] }, print);
  } finally {
    target.destroy();
  }
  return 0;
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        'fresh-ids': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        // The audit commands' own options (cli/commands/audit-commands.ts parses them).
        ...AUDIT_OPTIONS,
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`, { cause: error });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Our errors are written for the operator; anything else is a bug and keeps its stack.
      console.error(error instanceof OperatorError ? error.message : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
