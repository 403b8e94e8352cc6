import { addressHash } from '../../lambdas/directory/address-hash';
import type { Expectations } from './expectations';
import type { EpisodeResult } from './history-scenario';
import type { SentMail } from './sent-mail';
import type { StackSummary } from './stack-summary';

/** One expectation and whether it held. */
export interface ExpectationCheck {
  readonly ok: boolean;
  readonly what: string;
  /** What was found instead, when it failed. */
  readonly found?: string;
}

/**
 * Compares what the system did (ledger decisions and verdicts, apology campaigns, mailbox,
 * queues) with the expectations.
 *
 * @example
 * const failed = checkExpectations(expectations, summary, mails, episodes).filter((c) => !c.ok);
 */
export function checkExpectations(
  expectations: Expectations,
  summary: StackSummary,
  mails: readonly SentMail[],
  episodes: readonly EpisodeResult[],
): ExpectationCheck[] {
  const checks: ExpectationCheck[] = [];
  for (const notice of expectations.notices) {
    const decision = summary.decisions.get(notice.eventId);
    const wanted = notice.reason ? `${notice.outcome} ${notice.reason}` : notice.outcome;
    const got = decision ? (decision.reason && decision.outcome !== 'SENT' ? `${decision.outcome} ${decision.reason}` : decision.outcome) : 'no ledger row';
    const ok = decision !== undefined && decision.outcome === notice.outcome && (notice.reason === undefined || decision.reason === notice.reason);
    checks.push({ ok, what: `${notice.eventId}: ${wanted}${notice.why ? ` (${notice.why})` : ''}`, ...(ok ? {} : { found: got }) });
    if (notice.fate !== undefined) {
      const fate = decision?.fate ?? 'UNKNOWN';
      checks.push({ ok: fate === notice.fate, what: `${notice.eventId}: SES reports it ${notice.fate}`, ...(fate === notice.fate ? {} : { found: fate }) });
    }
  }
  for (const address of expectations.suppressedBySes ?? []) {
    const ok = summary.suppressedBySes.has(addressHash(address));
    checks.push({ ok, what: `${address} suppressed by SES's events`, ...(ok ? {} : { found: 'not suppressed' }) });
  }
  for (const [address, count] of Object.entries(expectations.emails)) {
    const received = mails.filter((mail) => mail.to.includes(address.toLowerCase())).length;
    checks.push({
      ok: received === count,
      what: `${address} received ${count} email${count === 1 ? '' : 's'}`,
      ...(received === count ? {} : { found: String(received) }),
    });
  }
  for (const expected of expectations.history.verdicts) {
    const found = summary.verdicts.get(expected.noticeId);
    const wanted = expected.reason ? `${expected.verdict} ${expected.reason}` : expected.verdict;
    const ok = found !== undefined && found.verdict === expected.verdict && (expected.reason === undefined || found.reason === expected.reason);
    const got = found ? [found.verdict, found.reason].filter(Boolean).join(' ') : 'not audited';
    checks.push({ ok, what: `audit of ${expected.noticeId}: ${wanted}${expected.why ? ` (${expected.why})` : ''}`, ...(ok ? {} : { found: got }) });
  }
  for (const expected of expectations.history.campaigns) {
    const campaign = episodes.find((episode) => episode.incidentId === expected.incidentId)?.campaign;
    const wanted = `${expected.toApologise} ${expected.toApologise === 1 ? 'apology' : 'apologies'}${expected.state ? ` ${expected.state}` : ''}`;
    const ok = campaign !== undefined && campaign.toApologise === expected.toApologise && (expected.state === undefined || campaign.state === expected.state);
    const got = campaign ? `${campaign.toApologise} ${campaign.state}` : 'no campaign planned';
    checks.push({ ok, what: `incident ${expected.incidentId} plans ${wanted}${expected.why ? ` (${expected.why})` : ''}`, ...(ok ? {} : { found: got }) });
  }
  const quantities: [string, number, number][] = [
    ['emails in all (nobody else was mailed)', expectations.totalEmails, mails.length],
    ['messages quarantined', expectations.quarantined, summary.quarantined],
    ['messages dead-lettered', expectations.deadLettered, summary.deadLettered],
  ];
  for (const [what, wanted, found] of quantities) {
    checks.push({ ok: wanted === found, what: `${wanted} ${what}`, ...(wanted === found ? {} : { found: String(found) }) });
  }
  return checks;
}
