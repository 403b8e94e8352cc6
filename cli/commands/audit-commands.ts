import { parseArgs } from 'node:util';
import { TARGET_OPTIONS, type StackTarget } from '../stack-target';
import { auditTarget, type AuditCliTarget } from '../audit/audit-target';
import type { ProgressOutput } from '../audit/progress-bar';
import { UsageError } from '../errors';
import { campaignApproveCommand, campaignDryRunCommand, campaignRunCommand, campaignStatusCommand } from './campaign';
import { importCommand } from './import';
import { incidentDeclareCommand, incidentListCommand } from './incident';

/** Usage of the audit commands, for the CLI's help text. */
export const AUDIT_USAGE = `Audit and apology:
  import <file>                 load another system's send log (JSON Lines,
                                docs/send-log-format.md) into the ledger
  incident declare --description <text> [--from <iso> --to <iso>] [--source <name>] [--id <id>] [--by <name>]
  incident list
  campaign dry-run <incidentId> audit the incident, plan its apologies, send nothing
  campaign approve <incidentId> --by <name> [--plan <plannedAt from the dry run>]
  campaign run <incidentId>     send the approved apologies now, with progress
  campaign status <incidentId>
`;

/** Commands this module handles (the first word). */
export const AUDIT_COMMANDS = ['import', 'incident', 'campaign'] as const;

/** Where the command runs and how it talks. */
export interface AuditCommandContext {
  /** The target stack; not needed when `audit` is given. */
  readonly stack?: StackTarget;
  /** Not read: the target's clients come with `stack` (kept so existing callers compile). */
  readonly stateFile?: string;
  readonly print: (line: string) => void;
  /** For the progress bar. @default process.stdout */
  readonly out?: ProgressOutput;
  /** Already wired target (tests); built from `stack` otherwise. */
  readonly audit?: AuditCliTarget;
}

/**
 * Runs one audit command line (`import …`, `incident …`, `campaign …`) against the target.
 * For the CLI entry: `if (AUDIT_COMMANDS.includes(command)) return runAuditCommand(argv, ctx)`.
 *
 * @returns the process exit code
 * @example
 * await runAuditCommand(['campaign', 'dry-run', 'inc-…'], { stack, print: console.log });
 */
export async function runAuditCommand(argv: readonly string[], ctx: AuditCommandContext): Promise<number> {
  const { positionals, values } = parse(argv);
  const [command, sub, arg, ...extra] = positionals;
  const audit = ctx.audit ?? auditTarget(requireStack(ctx.stack));
  const out = ctx.out ?? process.stdout;
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new UsageError(`${what} is required.\n\n${AUDIT_USAGE}`);
    return value;
  };
  try {
    switch (`${command} ${command === 'import' ? '' : (sub ?? '')}`.trim()) {
      case 'import':
        if (sub === undefined || arg !== undefined) throw new UsageError(`import takes exactly one file.\n\n${AUDIT_USAGE}`);
        await importCommand(audit, sub, ctx.print);
        return 0;
      case 'incident declare':
        await incidentDeclareCommand(
          audit,
          {
            description: need(values.description, '--description'),
            ...(values.from !== undefined ? { windowStart: values.from } : {}),
            ...(values.to !== undefined ? { windowEnd: values.to } : {}),
            ...(values.source !== undefined ? { source: values.source } : {}),
            ...(values.id !== undefined ? { incidentId: values.id } : {}),
            ...(values.by !== undefined ? { declaredBy: values.by } : {}),
          },
          ctx.print,
        );
        return 0;
      case 'incident list':
        await incidentListCommand(audit, ctx.print);
        return 0;
      case 'campaign dry-run':
        await campaignDryRunCommand(audit, need(arg, 'the incident id'), ctx.print);
        return 0;
      case 'campaign approve':
        await campaignApproveCommand(
          audit,
          need(arg, 'the incident id'),
          { approvedBy: need(values.by, '--by'), ...(values.plan !== undefined ? { plannedAt: values.plan } : {}) },
          ctx.print,
        );
        return 0;
      case 'campaign run':
        await campaignRunCommand(audit, need(arg, 'the incident id'), { out }, ctx.print);
        return 0;
      case 'campaign status':
        await campaignStatusCommand(audit, need(arg, 'the incident id'), out, ctx.print);
        return 0;
      default:
        throw new UsageError(`Unknown command "${positionals.join(' ')}".\n\n${AUDIT_USAGE}`);
    }
  } finally {
    if (extra.length > 0) ctx.print(`(ignored: ${extra.join(' ')})`);
    if (!ctx.audit) audit.destroy();
  }
}

function requireStack(stack: StackTarget | undefined): StackTarget {
  if (!stack) throw new UsageError('no target stack given');
  return stack;
}

/** The audit commands' own options; the CLI entry accepts them too, so one line parses whole. */
export const AUDIT_OPTIONS = {
  description: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  source: { type: 'string' },
  id: { type: 'string' },
  by: { type: 'string' },
  plan: { type: 'string' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        // The CLI entry's target flags may come along; they are its business, but must parse.
        ...TARGET_OPTIONS,
        ...AUDIT_OPTIONS,
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${AUDIT_USAGE}`, { cause: error });
  }
}
