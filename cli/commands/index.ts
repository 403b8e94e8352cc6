import type { Command } from '../framework/define-command';
import { backfillCommand } from './backfill';
import { campaignApproveCommand, campaignDryRunCommand, campaignRunCommand, campaignStatusCommand } from './campaign';
import { importCommand } from './import';
import { incidentDeclareCommand, incidentListCommand } from './incident';
import { dlqRedriveCommand, noticeResolveCommand, noticeShowCommand, noticeUncertainCommand } from './notice';
import { seedCommand } from './seed';
import { sendCommand } from './send';

/**
 * Every command of the CLI, in the order `help` lists them. Producer and dev tools (`seed`,
 * `send`) write to the stack directly; the operator commands call the operator endpoint.
 * To add one: `defineCommand({ … })` in a file of this folder, and a line here.
 */
export const COMMANDS: readonly Command[] = [
  seedCommand,
  backfillCommand,
  sendCommand,
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
];
