import type { OperatorCommand } from '../operator-command';
import { campaignApproveCommand, campaignDryRunCommand, campaignRunCommand, campaignStatusCommand } from './campaign';
import { importCommand } from './import';
import { incidentDeclareCommand, incidentListCommand } from './incident';
import { dlqRedriveCommand, noticeResolveCommand, noticeShowCommand, noticeUncertainCommand } from './notice';

/** Every command the operator endpoint serves: add one here (and a CLI command that sends it). */
export const OPERATOR_COMMANDS = [
  importCommand,
  incidentDeclareCommand,
  incidentListCommand,
  campaignDryRunCommand,
  campaignApproveCommand,
  campaignRunCommand,
  campaignStatusCommand,
  noticeShowCommand,
  noticeUncertainCommand,
  noticeResolveCommand,
  dlqRedriveCommand,
] as const;

type Commands = (typeof OPERATOR_COMMANDS)[number];

/** A command's name, the `command` field of a request. */
export type OperatorCommandName = Commands['name'];

/** The `result` a command answers with. */
export type OperatorResult<N extends OperatorCommandName> = Awaited<ReturnType<Extract<Commands, { name: N }>['run']>>;

/** The arguments a command takes (the request without `command`). */
export type OperatorArgs<N extends OperatorCommandName> = Parameters<Extract<Commands, { name: N }>['run']>[0];

/** The commands as the validation middleware takes them. */
export const OPERATOR_COMMAND_LIST: readonly OperatorCommand[] = OPERATOR_COMMANDS as unknown as readonly OperatorCommand[];
