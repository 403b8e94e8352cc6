/**
 * The operator commands, declared once for the function and the CLI: each one's name (a
 * request's `command` field and the CLI's words), in the order `help` lists them, and its
 * one-line summary (what `help` lists).
 * The operator function (lambdas/operator/commands) serves exactly these, and the CLI
 * (cli/commands) has a command for each: both take the names from here, the CLI the summaries
 * too, and the compiler refuses a command missing on either side or a summary missing or extra.
 * No dependencies: the CLI imports it.
 *
 * The names are a list of their own, not the summaries' keys, so that the function's bundle
 * keeps the names and esbuild drops the summaries, which only the CLI reads (1.7 kB of the
 * operator's, bench/README.md).
 *
 * To add one: its name and its summary here, its `defineOperatorCommand` (request schema and
 * use case) and its `defineOperatorCliCommand` (arguments, options and output).
 */
export const OPERATOR_COMMAND_NAMES = [
  'import',
  'incident declare',
  'incident list',
  'campaign dry-run',
  'campaign approve',
  'campaign run',
  'campaign status',
  'apology preview',
  'notice show',
  'notice uncertain',
  'notice resolve',
  'dlq redrive',
  'sending pause',
  'sending resume',
  'sending status',
] as const;

/** A command's name, the `command` field of a request. */
export type OperatorCommandName = (typeof OPERATOR_COMMAND_NAMES)[number];

/** Each command's one line in `help`. */
export const OPERATOR_COMMAND_SUMMARIES: { readonly [N in OperatorCommandName]: string } = {
  import: "load another system's send log (JSON Lines, docs/send-log-format.md) into the ledger",
  'incident declare': 'declare an incident: a time window and/or a source (you are recorded as its declarer)',
  'incident list': 'every declared incident with its audit progress and campaign',
  'campaign dry-run': 'audit the incident, plan its apologies in pages with progress (counts by reason, masked sample); sends nothing',
  'campaign approve': 'approve the plan the dry run showed, as your IAM identity (not the declarer, above the threshold)',
  'campaign run': 'enqueue the approved apologies for the sender (in the stack), then watch them go out, with progress and ETA',
  'campaign status': "an incident's campaign: state, approval, progress of plan and sending (counters), allowed rate, ETA",
  'apology preview': 'the apology in one language exactly as the sender renders it: subject, List-Unsubscribe headers, text (HTML with --html); sends nothing',
  'notice show': 'the whole story of a notice: decision and guard, send, SES events, doubt, audit, incident, apology',
  'notice uncertain': 'notices and apologies still in doubt after the settle window, with age and the SES events seen',
  'notice resolve': 're-send, once, notices and apologies in doubt that SES said nothing about (you are recorded as the approver)',
  'dlq redrive': 'move dead-lettered purchases (or with --ses-events, SES events) back to their queue, and say how many',
  'sending pause': 'pause all sending, notices and apologies (the kill switch); you are recorded with the time',
  'sending resume': 'resume sending (the kill switch off); you are recorded with the time',
  'sending status': 'whether sending is paused, and who paused or resumed it last',
};
