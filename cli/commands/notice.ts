import { formatNoticeStory, formatResolve, formatUncertain } from '../notice/format-notice';
import { defineOperatorCliCommand } from '../operator/operator-cli-command';
import { UsageError } from '../errors';

/** `notice show`: the whole story of a notice, addresses masked unless `--reveal` (with `--reason`, recorded). */
export const noticeShowCommand = defineOperatorCliCommand({
  name: 'notice show',
  details: [
    'An address finds every notice mailed to it (by its hash). Addresses are masked unless --reveal.',
    '--reveal needs --reason and a permission of its own (operatorRevealerRoles); each reveal is recorded with who, why, when and which notices.',
  ],
  args: [{ name: 'query', description: 'an event id (demo-001), a notice id (evt#demo-001, imp#…) or an address' }],
  options: {
    reveal: { type: 'boolean', description: 'show the recipient address in the clear (needs --reason)' },
    reason: { type: 'string', placeholder: '<text>', description: 'why you need the address in the clear, for the record (1-500 characters; with --reveal)' },
  },
  examples: [
    'npx tsx cli/main.ts notice show demo-013',
    'npx tsx cli/main.ts notice show bounce@simulator.amazonses.com',
    'npx tsx cli/main.ts notice show demo-013 --reveal --reason "owner asked which address we mailed (ticket 4711)"',
  ],
  run: async ({ args, options, endpoint, io }) => {
    // Refused here, before any request: a reveal is recorded with its reason, so it needs one.
    if (options.reveal && options.reason === undefined) {
      throw new UsageError('notice show --reveal needs --reason <text>: why you need the address in the clear (1-500 characters), kept with the record of the reveal.');
    }
    if (!options.reveal && options.reason !== undefined) throw new UsageError('notice show --reason goes only with --reveal.');
    const stories = await endpoint.call('notice show', { query: args.query, ...(options.reveal ? { reveal: true, reason: options.reason } : {}) });
    if (stories.length === 0) {
      io.print(`No notice found in the ${endpoint.description}.`);
      return 1;
    }
    stories.forEach((story, i) => {
      if (i > 0) io.print('');
      for (const line of formatNoticeStory(story)) io.print(line);
    });
  },
});

/** `notice uncertain`: what is still in doubt after the settle window. */
export const noticeUncertainCommand = defineOperatorCliCommand({
  name: 'notice uncertain',
  run: async ({ endpoint, io }) => {
    const list = await endpoint.call('notice uncertain', {});
    for (const line of formatUncertain(list)) io.print(line);
  },
});

/** `notice resolve`: re-sends notices and apologies in doubt, once each, recording you as the approver. */
export const noticeResolveCommand = defineOperatorCliCommand({
  name: 'notice resolve',
  details: [
    'Only one UNCERTAIN for longer than the settle window (uncertainSettleSeconds), with no SES event, and not re-sent before.',
    "It goes back on its queue: the notify function (a notice) or the apology sender (an apology) decides it again with today's guards,",
    'sends it only to the person first mailed, and an apology within the campaign rate.',
  ],
  args: [{ name: 'id', description: 'notice ids (evt#…) and apologies (<incidentId>/<addressHash>), as notice uncertain lists them', variadic: true }],
  examples: ['npx tsx cli/main.ts notice resolve "evt#demo-013"', 'npx tsx cli/main.ts notice resolve "inc-legacy/3f2a…"'],
  run: async ({ args, endpoint, io }) => {
    const ids = [...args.id];
    const noticeIds = ids.filter((id) => !id.includes('/'));
    const apologyIds = ids.filter((id) => id.includes('/'));
    const outcomes = await endpoint.call('notice resolve', {
      ...(noticeIds.length > 0 ? { noticeIds } : {}),
      ...(apologyIds.length > 0 ? { apologyIds } : {}),
    });
    for (const line of formatResolve(outcomes)) io.print(line);
    return outcomes.every((o) => o.result === 'QUEUED' || o.result === 'QUEUED_AGAIN') ? 0 : 1;
  },
});

/** `dlq redrive`: dead-lettered purchases (or SES events) back to their queue, with a count. */
export const dlqRedriveCommand = defineOperatorCliCommand({
  name: 'dlq redrive',
  details: ['Fix what made them fail first: they are tried again, and come back after 5 receives if nothing changed.'],
  options: {
    'ses-events': { type: 'boolean', description: "the feedback function's DLQ (SES events) instead of the purchases'" },
    max: { type: 'string', placeholder: '<n>', description: 'move at most this many' },
  },
  run: async ({ options, endpoint, io }) => {
    const max = options.max === undefined ? undefined : Number(options.max);
    const report = await endpoint.call('dlq redrive', {
      queue: options['ses-events'] ? 'ses-events' : 'purchases',
      ...(max === undefined ? {} : { max }),
    });
    io.print(
      `Moved ${report.moved} ${report.queue === 'purchases' ? 'purchase message(s)' : 'SES event(s)'} back from the DLQ in the ${endpoint.description}` +
        `${report.stoppedAtMax ? ' (stopped at --max: more may be left)' : ''}.`,
    );
  },
});
