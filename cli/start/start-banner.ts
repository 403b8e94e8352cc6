import { awsSendMessageLine } from '../send/aws-cli-equivalent';
import { DEFAULT_STATE_FILE, type LocalStackState } from '@registry-notices/local-stack';

/** What the banner says besides the stack's state. */
export interface BannerOptions {
  /** Seconds from start to ready. */
  readonly readySeconds: number;
  /** @default '.local/logs' */
  readonly logDirectory?: string;
  /** Where the state is recorded; the CLI lines carry `--state` when it is not the default. @default DEFAULT_STATE_FILE */
  readonly stateFile?: string;
  /** The operator console `npm start` runs (its address with the start's token), if it does. */
  readonly consoleUrl?: string;
}

/**
 * The lines `npm start` prints once the stack is ready: where everything is, how to
 * play your own data (the CLI, and the plain AWS CLI line), and the apology flow. Every
 * command works as printed against this stack: the CLI's carry `--state` when the state
 * file is not the default one, the AWS CLI line the emulator's actual endpoint.
 *
 * @example
 * readyBanner(state, { readySeconds: 11.2, stateFile: '/tmp/stack.json' }).forEach((line) => console.log(line));
 */
export function readyBanner(state: LocalStackState, options: BannerOptions): string[] {
  const logDirectory = options.logDirectory ?? '.local/logs';
  const stateFile = options.stateFile ?? DEFAULT_STATE_FILE;
  const target = stateFile === DEFAULT_STATE_FILE ? '' : ` --state ${shellWord(stateFile)}`;
  const cli = (args: string): string => `  npx tsx cli/main.ts ${args}${target}`;
  const queueUrl = state.outputs.PurchaseQueueUrl ?? '(no PurchaseQueueUrl output)';
  return [
    '',
    `registry-notices runs locally (stack ${state.stackName}, ready in ${options.readySeconds.toFixed(1)} s)`,
    `  mail viewer     ${state.sesViewerUrl}`,
    ...(options.consoleUrl ? [`  console         ${options.consoleUrl} (the operator console, as you; docs/console.md)`] : []),
    `  purchase queue  ${queueUrl}`,
    `  SQS ${state.endpoints.sqs}   DynamoDB ${state.endpoints.dynamodb}   SSM ${state.endpoints.ssm}   KMS ${state.endpoints.kms}   SES ${state.endpoints.ses}`,
    ...Object.values(state.functionUrls ?? {}).map((u) => `  function URL    ${u.url} (${u.functionLogicalId}, auth ${u.authType})`),
    ...(state.outputs.KillSwitchParameterName ? [`  kill switch     SSM parameter ${state.outputs.KillSwitchParameterName}`] : []),
    `  logs            ${logDirectory}/ (functions.log, emulators.log, stack.log)`,
    ...(target ? [`  state           ${stateFile} (the CLI lines below point at it)`] : []),
    '',
    'Play your own data (docs/seed-format.md):',
    cli('seed cli/demo/seed.json'),
    cli('send cli/demo/purchases.json --fresh-ids'),
    `  ${awsSendMessageLine(state.endpoints.sqs, queueUrl, state.region, 'event.json')}`,
    '',
    'Replay an incident and apologise (docs/audit-and-apology.md):',
    cli('import docs/examples/legacy-send-log.jsonl'),
    cli('incident declare --id inc-legacy --source legacy-crm --description "legacy CRM blast"'),
    cli('campaign dry-run inc-legacy'),
    cli('campaign run inc-legacy'),
    `  or in the browser: the console above; another person's: AWS_ACCESS_KEY_ID=bob AWS_SECRET_ACCESS_KEY=bob npx tsx cli/main.ts console${target}`,
    '',
    "Hear back from SES: a notice's story, sends in doubt, the DLQ (docs/hearing-back.md):",
    cli('notice show demo-013'),
    cli('notice uncertain'),
    cli('dlq redrive'),
    '',
  ];
}

/** A path as one POSIX shell word: as is when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
