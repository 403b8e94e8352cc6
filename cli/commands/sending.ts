import type { OperatorResult } from '../../lambdas/operator/commands';
import type { CommandIo } from '../framework/define-command';
import { defineOperatorCliCommand } from '../operator/operator-cli-command';

const reasonOption = { reason: { type: 'string', placeholder: '<text>', description: 'why, for the record (1-500 characters)' } } as const;

/** `sending pause`: the kill switch on; the endpoint records the caller's IAM ARN and the time. */
export const sendingPauseCommand = defineOperatorCliCommand({
  name: 'sending pause',
  options: reasonOption,
  details: ['Notices and apologies stay on their queues (put back with a delay) until `sending resume`; warm senders see it within 10 s.'],
  examples: ['npx tsx cli/main.ts sending pause --reason "bounce storm at the mail provider"'],
  run: async ({ options, endpoint, io }) => {
    printFlip(io, await endpoint.call('sending pause', options.reason !== undefined ? { reason: options.reason } : {}));
  },
});

/** `sending resume`: the kill switch off; recorded as the pause is. */
export const sendingResumeCommand = defineOperatorCliCommand({
  name: 'sending resume',
  options: reasonOption,
  examples: ['npx tsx cli/main.ts sending resume --reason "provider recovered"'],
  run: async ({ options, endpoint, io }) => {
    printFlip(io, await endpoint.call('sending resume', options.reason !== undefined ? { reason: options.reason } : {}));
  },
});

/** `sending status`: the switch as the senders read it, and its last changes with who made them. */
export const sendingStatusCommand = defineOperatorCliCommand({
  name: 'sending status',
  run: async ({ endpoint, io }) => {
    const status = await endpoint.call('sending status', {});
    io.print(`Sending is ${status.paused ? 'PAUSED' : 'on'} in the ${endpoint.description} (${status.parameterName} = ${status.value}).`);
    if (status.changes.length === 0) io.print('  no pause or resume recorded.');
    for (const c of status.changes) io.print(`  ${c.at}  ${c.action.padEnd(6)}  by ${c.by}${c.reason ? `: ${c.reason}` : ''}`);
  },
});

function printFlip(io: CommandIo, flip: OperatorResult<'sending pause'>): void {
  const what = flip.paused ? 'paused' : 'resumed';
  io.print(
    flip.changed
      ? `Sending ${what} by ${flip.change.by} at ${flip.change.at} (${flip.parameterName} = ${flip.value}).`
      : `Sending was already ${flip.paused ? 'paused' : 'on'} (${flip.parameterName} = ${flip.value}); recorded your request, by ${flip.change.by} at ${flip.change.at}.`,
  );
}
