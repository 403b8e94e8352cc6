import { randomBytes } from 'node:crypto';
import { CliError } from '../errors';
import { defineCommand } from '../framework/define-command';
import { awsSendMessageLine } from '../send/aws-cli-equivalent';
import { readPurchaseEvents, withFreshIds } from '../send/purchase-events-file';
import { sendPurchaseEvents } from '../send/send-purchase-events';
import { requireOutput, resolveTarget } from '../stack-target';

/**
 * `send <file|->`: sends purchase events (docs/seed-format.md, "Purchase events") to the
 * target stack's purchase queue, one SQS message each (as a producer would), and prints the
 * message ids and the equivalent `aws sqs send-message` line.
 */
export const sendCommand = defineCommand({
  name: 'send',
  summary: 'send purchase events (a JSON object or array; - reads stdin) to the purchase queue',
  args: [{ name: 'file', description: 'the events file, or - for stdin' }],
  options: {
    'fresh-ids': { type: 'boolean', default: false, description: 'append a run suffix to each eventId/purchaseId (replay a file)' },
  },
  target: 'stack',
  examples: ['npx tsx cli/main.ts send cli/demo/purchases.json --fresh-ids', 'cat event.json | npx tsx cli/main.ts send -'],
  run: async ({ args, options, target: where, io }) => {
    let bodies = readPurchaseEvents(args.file);
    if (options['fresh-ids']) bodies = withFreshIds(bodies, randomBytes(3).toString('hex'));
    const target = resolveTarget(where);
    try {
      const queueUrl = requireOutput(target, 'PurchaseQueueUrl');
      const sent = await sendPurchaseEvents(target.sqs, queueUrl, bodies);
      for (const result of sent) {
        io.print(result.error ? `  #${result.index}: refused by SQS: ${result.error}` : `  #${result.index}: message ${result.messageId}`);
      }
      const refused = sent.filter((result) => result.error).length;
      io.print(`Sent ${sent.length - refused} of ${bodies.length} purchase events to the ${target.description}.`);
      if (target.sqsEndpoint && target.region) {
        io.print('The same with the AWS CLI, one event per file:');
        io.print(`  ${awsSendMessageLine(target.sqsEndpoint, queueUrl, target.region, 'event.json')}`);
      }
      if (refused > 0) throw new CliError(`${refused} events were refused by SQS.`);
    } finally {
      target.destroy();
    }
  },
});
