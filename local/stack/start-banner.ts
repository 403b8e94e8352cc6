import { awsSendMessageLine } from '../../cli/send/aws-cli-equivalent';
import type { LocalStackState } from './state-file';

/**
 * The lines `npm start` prints once the stack is ready: where everything is, how to
 * play your own data (the CLI, and the plain AWS CLI line), and the apology flow.
 *
 * @example
 * readyBanner(state, 11.2, '.local/logs').forEach((line) => console.log(line));
 */
export function readyBanner(state: LocalStackState, readySeconds: number, logDirectory = '.local/logs'): string[] {
  const queueUrl = state.outputs.PurchaseQueueUrl ?? '(no PurchaseQueueUrl output)';
  return [
    '',
    `registry-notices runs locally (stack ${state.stackName}, ready in ${readySeconds.toFixed(1)} s)`,
    `  mail viewer     ${state.sesViewerUrl}`,
    `  purchase queue  ${queueUrl}`,
    `  SQS ${state.endpoints.sqs}   DynamoDB ${state.endpoints.dynamodb}   SSM ${state.endpoints.ssm}   SES ${state.endpoints.ses}`,
    ...Object.values(state.functionUrls ?? {}).map((u) => `  function URL    ${u.url} (${u.functionLogicalId}, auth ${u.authType})`),
    ...(state.outputs.KillSwitchParameterName ? [`  kill switch     SSM parameter ${state.outputs.KillSwitchParameterName}`] : []),
    `  logs            ${logDirectory}/ (functions.log, emulators.log, stack.log)`,
    '',
    'Play your own data (docs/seed-format.md):',
    '  npx tsx cli/main.ts seed local/demo/seed.json',
    '  npx tsx cli/main.ts send local/demo/purchases.json --fresh-ids',
    `  ${awsSendMessageLine(state.endpoints.sqs, queueUrl, state.region, 'event.json')}`,
    '',
    'Replay an incident and apologise (docs/audit-and-apology.md):',
    '  npx tsx cli/main.ts import docs/examples/legacy-send-log.jsonl',
    '  npx tsx cli/main.ts incident declare --id inc-legacy --source legacy-crm --description "legacy CRM blast"',
    '  npx tsx cli/main.ts campaign dry-run inc-legacy',
    '  npx tsx cli/main.ts campaign run inc-legacy',
    '',
  ];
}
