import type { UncertainList } from '../../lambdas/operator/notices/list-uncertain';
import type { ResolveOutcome } from '../../lambdas/operator/notices/resolve-uncertain';
import type { NoticeStory } from '../../lambdas/operator/notices/show-notice';

/**
 * A notice's story as lines for the terminal, in the order it happened: the decision (and
 * the guard that said no), the claim and send, SES's events, a doubt and its re-send, the
 * audit's verdict, the incidents and apologies.
 *
 * @example
 * formatNoticeStory(story).join('\n')
 */
export function formatNoticeStory(story: NoticeStory): string[] {
  const d = story.decision;
  const lines = [
    `notice ${story.noticeId}${story.eventId ? `  (event ${story.eventId}${story.purchaseId ? `, purchase ${story.purchaseId}` : ''})` : ''}`,
    `  registry    ${story.registryId ?? '-'}${story.itemId ? `, item ${story.itemId}` : ''}; sent by ${story.sender}`,
  ];
  const who = [
    d.recipientCustomerId ? `owner ${d.recipientCustomerId}` : undefined,
    d.claimedRecipientCustomerId && d.claimedRecipientCustomerId !== d.recipientCustomerId ? `(the producer named ${d.claimedRecipientCustomerId})` : undefined,
    d.recipient ? `to ${d.recipient}` : undefined,
    d.template ? `${d.template}${d.locale ? ` in ${d.locale}` : ''}` : undefined,
  ].filter(Boolean);
  if (d.outcome === 'BLOCKED') lines.push(`  decided     ${d.decidedAt}  BLOCKED by the guard ${d.reason ?? '?'}${who.length ? `; ${who.join(', ')}` : ''}`);
  else lines.push(`  claimed     ${d.decidedAt}  the guards passed; ${who.join(', ')}`);
  if (d.outcome === 'SENT') lines.push(`  sent        ${story.send.sentAt ?? '?'}  SES message ${story.send.sesMessageId ?? '?'}${settledBy(story)}`);
  if (d.outcome === 'FAILED') lines.push(`  failed      ${story.send.settledAt ?? '?'}  ${d.reason ?? ''}${settledBy(story)}`);
  if (d.outcome === 'SENDING') lines.push('  sending     the claim is open: being sent now, or its sender died (the redelivery settles it)');
  if (story.doubt) {
    lines.push(`  in doubt    ${story.doubt.since ?? '?'}  ${story.doubt.reason ?? ''}`.trimEnd());
    const r = story.doubt.resend;
    if (r) lines.push(`  re-send     ${r.at}  approved by ${r.by}: ${r.state}${r.reason ? ` (${r.reason})` : ''}${r.sesMessageId ? `, SES message ${r.sesMessageId}` : ''}`);
  }
  if (story.ses.events.length > 0 || d.outcome === 'SENT') {
    const events = story.ses.events.map((e) => `${e.type} ${e.at}${detailText(e.detail)}`);
    lines.push(`  SES         ${story.ses.fate}${events.length ? `: ${events.join('; ')}` : ': no event yet'}`);
  }
  if (story.ses.otherMessages.length > 0) lines.push(`  !           SES also reported other emails for this notice: ${story.ses.otherMessages.join(', ')}`);
  const a = story.audit;
  lines.push(`  audit       ${a.state === 'JUDGED' ? `${a.verdict}${a.reason ? ` ${a.reason}` : ''} (${a.at ?? '?'})` : a.state === 'PENDING' ? 'not judged yet' : 'not audited (blocked notices are not)'}`);
  for (const i of story.incidents) {
    lines.push(`  incident    ${i.incidentId}: ${i.verdict}${i.reason ? ` ${i.reason}` : ''}  (${i.description})`);
    const ap = i.apology;
    lines.push(`  apology     ${ap ? `${ap.state}${ap.reason ? ` ${ap.reason}` : ''}${ap.settledAt ? ` ${ap.settledAt}` : ''}${ap.sesMessageId ? `, SES message ${ap.sesMessageId}` : ''}` : 'none'}`);
  }
  return lines;
}

// DynamoDB keeps a map's keys in no order: show an event's details in SES's own order.
const DETAIL_ORDER = ['bounceType', 'bounceSubType', 'status', 'complaintFeedbackType', 'complaintSubType', 'delayType', 'reason'];

function detailText(detail: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(detail ?? {}).sort((a, b) => (DETAIL_ORDER.indexOf(a) + 1 || 99) - (DETAIL_ORDER.indexOf(b) + 1 || 99));
  return keys.length > 0 ? ` (${keys.map((k) => detail![k]).join(' ')})` : '';
}

function settledBy(story: NoticeStory): string {
  return story.send.settledBy === 'SES_EVENT' ? ' (settled by its SES event)' : story.send.settledBy === 'OPERATOR_RESEND' ? " (an operator's re-send)" : '';
}

/** `notice uncertain` as lines: each email in doubt with its age, events seen and what can be done. */
export function formatUncertain(list: UncertainList): string[] {
  const lines: string[] = [];
  const window = duration(list.settleSeconds);
  if (list.items.length === 0) lines.push(`Nothing in doubt for longer than ${window}.`);
  for (const item of list.items) {
    const seen = item.sesEvents.length ? `SES: ${item.sesEvents.join(', ')}` : 'no SES event';
    const resend = item.resend ? `; re-send ${item.resend.state} (approved by ${item.resend.by})` : '';
    const can = item.resolvable ? '  → may be resolved (re-sent once)' : '';
    lines.push(`${item.kind.padEnd(8)} ${item.id}  in doubt ${duration(item.ageSeconds)} (since ${item.inDoubtSince})  ${item.reason ?? ''}  ${seen}${item.recipient ? `  to ${item.recipient}` : ''}${resend}${can}`);
  }
  if (list.stillSettling > 0) lines.push(`${list.stillSettling} more in doubt for less than ${window}: their SES events may still come.`);
  return lines;
}

/** `notice resolve` as lines: what became of each notice or apology named. */
export function formatResolve(outcomes: readonly ResolveOutcome[]): string[] {
  return outcomes.map((o) => `${o.kind.padEnd(8)} ${o.id}  ${o.result}${o.detail ? `  (${o.detail})` : ''}`);
}

function duration(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
}
