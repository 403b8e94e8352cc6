import * as z from 'zod/mini';
import { INCIDENT_ID_PATTERN } from '../../audit/incident';
import { contractObject, typeRule } from '../../platform/contract-schema';
import { listUncertain } from '../notices/list-uncertain';
import { RedriveQueue } from '../notices/notice-operations';
import { redriveDeadLetters } from '../notices/redrive-dead-letters';
import { resolveUncertain } from '../notices/resolve-uncertain';
import { showNotice } from '../notices/show-notice';
import { revealRefusal } from '../notices/reveal-permission';
import { RevealNotPermittedError } from '../errors';
import { defineOperatorCommand } from '../operator-command';
import { integerField, stringField } from './fields';

/** Why an address is revealed, in the operator's words: kept with the reveal, never logged (it may name someone). */
const revealReasonField = z.optional(
  stringField().check(
    z.regex(/\S/, { error: 'must not be blank: say why you need the address in the clear' }),
    z.maxLength(500, { error: 'must be at most 500 characters' }),
  ),
);

/**
 * `notice show`: the whole story of the notices an event id, notice id or address names;
 * addresses masked unless `reveal`. Revealing needs a `reason` and a permission of its own
 * (notices/reveal-permission.ts), checked before anything is read; a reveal that shows an
 * address is recorded in the audit table (who, why, when, which notices) before the answer
 * leaves; if it cannot be recorded, nothing is shown.
 */
export const noticeShowCommand = defineOperatorCommand({
  name: 'notice show',
  request: contractObject(
    { query: stringField(), reveal: z.optional(z.boolean(typeRule('must be true or false'))), reason: revealReasonField },
    '"notice show"',
  ).check(
    z.refine((r) => r.reveal !== true || r.reason !== undefined, {
      error: 'is required with reveal: true: why you need the address in the clear (1-500 characters), kept with the record of the reveal',
      path: ['reason'],
    }),
    z.refine((r) => r.reveal === true || r.reason === undefined, { error: 'goes only with reveal: true', path: ['reason'] }),
  ),
  run: async ({ query, reveal, reason }, { deps, caller }) => {
    if (reveal === true) {
      const refusal = revealRefusal(caller.arn, deps.run.settings.personRoles, deps.notices.revealers);
      if (refusal) throw new RevealNotPermittedError(refusal.rule, refusal.reason);
    }
    const stories = await showNotice(query, deps.notices, { reveal: reveal === true });
    const shown = stories.filter((story) => reveal === true && story.decision.recipient !== undefined).map((story) => story.noticeId);
    if (shown.length > 0) {
      await deps.notices.reveals.record({
        by: caller.arn,
        ...(caller.person ? { person: caller.person } : {}),
        ...(reason !== undefined ? { reason } : {}),
        at: deps.notices.now().toISOString(),
        noticeIds: shown,
      });
    }
    return stories;
  },
});

/** `notice uncertain`: the sends still in doubt past the settle window, with age and SES events seen. */
export const noticeUncertainCommand = defineOperatorCommand({
  name: 'notice uncertain',
  request: contractObject({}, '"notice uncertain"'),
  run: (_request, { deps }) => listUncertain(deps.notices, { now: deps.notices.now(), settleSeconds: deps.notices.settleSeconds }),
});

// `<incidentId>/<addressHash>`, as `notice uncertain` lists an apology in doubt.
const APOLOGY_ID = new RegExp(`^${INCIDENT_ID_PATTERN.source.slice(1, -1)}/[0-9a-f]{64}$`);

const idList = (what: string, rule: z.core.$ZodCheck<string>) =>
  z.optional(
    z
      .array(stringField().check(rule), typeRule('must be a list'))
      .check(z.minLength(1, { error: `must name at least one ${what}` }), z.maxLength(100, { error: `must name at most 100 ${what}s` })),
  );

/**
 * `notice resolve`: re-sends, once each, notices and apologies in doubt that SES said nothing
 * about; the caller's IAM ARN is recorded. The messages go back on their queues (purchases,
 * apologies): the notify function and the apology sender send them, with today's guards.
 */
export const noticeResolveCommand = defineOperatorCommand({
  name: 'notice resolve',
  request: contractObject(
    {
      noticeIds: idList('notice', z.regex(/^evt#[A-Za-z0-9._:-]{1,128}$/, { error: 'must be a notice id of ours (evt#<eventId>)' })),
      apologyIds: idList('apology', z.regex(APOLOGY_ID, { error: 'must be an apology as notice uncertain lists it (<incidentId>/<addressHash>)' })),
    },
    '"notice resolve"',
  ).check(
    z.refine((r) => r.noticeIds !== undefined || r.apologyIds !== undefined, { error: 'must name at least one notice or apology', path: ['noticeIds'] }),
  ),
  run: ({ noticeIds, apologyIds }, { deps, caller }) => {
    const { notices, run } = deps;
    return resolveUncertain(
      { ...(noticeIds ? { noticeIds } : {}), ...(apologyIds ? { apologyIds } : {}) },
      { ...notices, apologyQueue: run.apologyQueue },
      { by: caller.arn, now: notices.now(), settleSeconds: notices.settleSeconds },
    );
  },
});

/** `dlq redrive`: moves dead-lettered messages back to their queue, with a count. */
export const dlqRedriveCommand = defineOperatorCommand({
  name: 'dlq redrive',
  request: contractObject(
    {
      queue: z.optional(z.enum([RedriveQueue.PURCHASES, RedriveQueue.SES_EVENTS], typeRule(`must be ${RedriveQueue.PURCHASES} or ${RedriveQueue.SES_EVENTS}`))),
      max: z.optional(integerField(1, 100_000)),
    },
    '"dlq redrive"',
  ),
  run: async ({ queue, max }, { deps }) => {
    const which = queue ?? RedriveQueue.PURCHASES;
    return { queue: which, ...(await redriveDeadLetters(deps.notices.redrive[which], max === undefined ? {} : { max })) };
  },
});
