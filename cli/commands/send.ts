import { randomBytes } from 'node:crypto';
import { CliError } from '../errors';
import { awsSendMessageLine } from '../send/aws-cli-equivalent';
import { readPurchaseEvents, withFreshIds } from '../send/purchase-events-file';
import { sendPurchaseEvents } from '../send/send-purchase-events';
import { requireOutput, type StackTarget } from '../stack-target';

/** Options of the `send` command. */
export interface SendOptions {
  /** Append a run suffix to each eventId/purchaseId so the file can be replayed. */
  readonly freshIds?: boolean;
}

/**
 * `send <file|->`: sends purchase events (docs/seed-format.md, "Purchase events") to the
 * target stack's purchase queue, one SQS message each, and prints the message ids and the
 * equivalent `aws sqs send-message` line.
 *
 * @example
 * await sendCommand(target, 'local/demo/purchases.json', {}, console.log);
 */
export async function sendCommand(
  target: StackTarget,
  file: string,
  options: SendOptions,
  print: (line: string) => void,
): Promise<void> {
  const queueUrl = requireOutput(target, 'PurchaseQueueUrl');
  let bodies = readPurchaseEvents(file);
  if (options.freshIds) bodies = withFreshIds(bodies, randomBytes(3).toString('hex'));
  const sent = await sendPurchaseEvents(target.sqs, queueUrl, bodies);
  for (const result of sent) {
    print(result.error ? `  #${result.index}: refused by SQS: ${result.error}` : `  #${result.index}: message ${result.messageId}`);
  }
  const refused = sent.filter((result) => result.error).length;
  print(`Sent ${sent.length - refused} of ${bodies.length} purchase events to the ${target.description}.`);
  if (target.sqsEndpoint && target.region) {
    print('The same with the AWS CLI, one event per file:');
    print(`  ${awsSendMessageLine(target.sqsEndpoint, queueUrl, target.region, 'event.json')}`);
  }
  if (refused > 0) throw new CliError(`${refused} events were refused by SQS.`);
}
