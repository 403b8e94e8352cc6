import { OPERATOR_COMMAND_NAMES, type OperatorCommandName } from '../../lambdas/operator/command-catalog';
import type { Command } from '../framework/define-command';
import { apologyPreviewCommand } from './apology';
import { backfillCommand } from './backfill';
import { consoleCommand } from './console';
import { campaignApproveCommand, campaignDryRunCommand, campaignRunCommand, campaignStatusCommand } from './campaign';
import { importCommand } from './import';
import { incidentDeclareCommand, incidentListCommand } from './incident';
import { dlqRedriveCommand, noticeResolveCommand, noticeShowCommand, noticeUncertainCommand } from './notice';
import { seedCommand } from './seed';
import { sendCommand } from './send';
import { sendingPauseCommand, sendingResumeCommand, sendingStatusCommand } from './sending';

/**
 * The CLI side of each operator command of the catalog (lambdas/operator/command-catalog.ts):
 * the compiler refuses a catalog command without one here.
 */
const OPERATOR_CLI_COMMANDS = {
  import: importCommand,
  'incident declare': incidentDeclareCommand,
  'incident list': incidentListCommand,
  'campaign dry-run': campaignDryRunCommand,
  'campaign approve': campaignApproveCommand,
  'campaign run': campaignRunCommand,
  'campaign status': campaignStatusCommand,
  'apology preview': apologyPreviewCommand,
  'notice show': noticeShowCommand,
  'notice uncertain': noticeUncertainCommand,
  'notice resolve': noticeResolveCommand,
  'dlq redrive': dlqRedriveCommand,
  'sending pause': sendingPauseCommand,
  'sending resume': sendingResumeCommand,
  'sending status': sendingStatusCommand,
} as const satisfies Record<OperatorCommandName, Command>;

/**
 * Every command of the CLI, in the order `help` lists them. Producer and dev tools (`seed`,
 * `backfill`, `send`) write to the stack directly; the operator commands call the operator
 * endpoint, in the catalog's order. To add a tool: `defineCommand({ … })` in a file of this
 * folder, and a line here; an operator command: its line in the catalog, its
 * `defineOperatorCliCommand({ … })`, and its line in {@link OPERATOR_CLI_COMMANDS}.
 */
export const COMMANDS: readonly Command[] = [
  seedCommand,
  backfillCommand,
  sendCommand,
  ...OPERATOR_COMMAND_NAMES.map((name) => OPERATOR_CLI_COMMANDS[name]),
  consoleCommand,
];
