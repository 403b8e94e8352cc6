import { approvalNeedWords } from '../../../../lambdas/audit/campaign/approval-need-words';
import type { OperatorResult } from '../../../../lambdas/operator/commands';
import { call, Refused } from '../api';
import { countRows, field, h, show, table } from '../dom';
import { RateChart, type RatePoint } from '../rate-chart';
import { errorBox, formatDuration, pageHeading, sleep, statusRegion } from '../ui';

type Status = OperatorResult<'campaign status'>;
type Plan = OperatorResult<'campaign dry-run'>;

/** Seconds one dry-run or run request may work before it answers, as the CLI asks (cli/commands/campaign.ts). */
const SECONDS_PER_REQUEST = 20;
/** How often the run's chart reads the counters. */
const READ_EVERY_MS = 1_000;
const LANGUAGES = [
  { locale: 'en', name: 'English' },
  { locale: 'de', name: 'Deutsch' },
] as const;

/**
 * One incident, in the order the work goes: its state; the dry run (progress, counts by reason,
 * masked sample, the apology per language as it will be sent); the approval (who declared, who
 * you are, the endpoint's answer); the run (a live chart of apologies per second against the
 * allowed rate, outcomes, ETA). Each step is the CLI's request; the endpoint's rules decide.
 */
export async function incidentPage(main: HTMLElement, incidentId: string | undefined): Promise<() => void> {
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  if (!incidentId) {
    show(main, pageHeading('Incident'), h('p', {}, 'No incident named: ', h('a', { href: '#/incidents' }, 'pick one')));
    return stop;
  }
  const summary = h('section', { 'aria-labelledby': 'state-heading' });
  const dryRun = h('section', { 'aria-labelledby': 'dry-run-heading' });
  const approval = h('section', { 'aria-labelledby': 'approval-heading' });
  const run = h('section', { 'aria-labelledby': 'run-heading' });
  show(main, pageHeading(`Incident ${incidentId}`), summary, dryRun, approval, run);

  let status: Status;
  try {
    status = await call('campaign status', { incidentId });
  } catch (error) {
    show(summary, errorBox(error));
    return stop;
  }
  let plannedAt = status.campaign?.plannedAt;
  showSummary(summary, status);

  // The dry run: pages until done, a bar meanwhile, then counts, sample and preview.
  const dryRunStatus = statusRegion('dry-run-status');
  const dryRunResult = h('div', {});
  const dryRunButton = h('button', { type: 'button', id: 'dry-run' }, 'Run the dry run (sends nothing)');
  show(dryRun, h('h2', { id: 'dry-run-heading' }, 'Dry run'), h('p', {}, 'Audits the incident and plans who gets an apology, and why. Nothing is sent.'), dryRunButton, dryRunStatus, dryRunResult);
  dryRunButton.addEventListener('click', () => {
    void (async () => {
      dryRunButton.disabled = true;
      try {
        const plan = await planAll(incidentId, dryRunStatus, () => stopped);
        plannedAt = plan.plannedAt;
        status = await call('campaign status', { incidentId });
        // The approval first: shown with the plan, its button must already be the one that answers.
        showSummary(summary, status);
        showApproval(approval, status, () => plannedAt, async () => {
          status = await call('campaign status', { incidentId });
          showSummary(summary, status);
        });
        showPlan(dryRunResult, plan, status.incident);
      } catch (error) {
        show(dryRunStatus);
        show(dryRunResult, errorBox(error));
      } finally {
        dryRunButton.disabled = false;
      }
    })();
  });

  showApproval(approval, status, () => plannedAt, async () => {
    status = await call('campaign status', { incidentId });
    showSummary(summary, status);
  });
  showRun(run, incidentId, () => stopped, (s) => showSummary(summary, s));
  return stop;
}

function showSummary(section: HTMLElement, { incident, campaign, progress }: Status): void {
  const rows: [string, string][] = [
    ['What happened', incident.description],
    ['Window', incident.windowStart && incident.windowEnd ? `${incident.windowStart} to ${incident.windowEnd}` : '—'],
    ['Source', incident.source ?? '—'],
    ['Declared by', incident.declaredBy ? `${incident.declaredBy} at ${incident.declaredAt}` : `— (at ${incident.declaredAt})`],
    ['Audited', incident.sweep.done ? 'yes' : 'in progress'],
    ['Campaign', campaign ? `${campaign.state}, planned ${campaign.plannedAt}` : 'not planned yet: run the dry run'],
  ];
  if (campaign?.approval) rows.push(['Approved by', `${campaign.approval.approvedBy} at ${campaign.approval.approvedAt} for ${campaign.approval.approvedSize}`]);
  if (progress && !progress.planning) rows.push(['Sending', `${progress.settled} of ${progress.toApologise} settled${progress.enqueue ? `, ${progress.enqueue.enqueued} enqueued` : ''}`]);
  show(section, h('h2', { id: 'state-heading' }, 'State'), h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

async function planAll(incidentId: string, status: HTMLElement, stopped: () => boolean): Promise<Plan> {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Dry run progress' });
  const words = h('span', {}, 'Starting…');
  show(status, bar, ' ', words);
  let plan: string | undefined;
  for (;;) {
    const report = await call('campaign dry-run', { incidentId, maxSeconds: SECONDS_PER_REQUEST, ...(plan ? { plan } : {}) });
    if (report.done || stopped()) {
      bar.max = 1;
      bar.value = 1;
      words.textContent = 'Planned.';
      return report;
    }
    plan = report.plannedAt || undefined;
    const p = report.progress;
    if (!report.audited || !p) words.textContent = "Auditing the incident's rows…";
    else if (p.phase === 'ROWS') {
      bar.max = Math.max(p.rowsTotal, p.rowsRead, 1);
      bar.value = p.rowsRead;
      words.textContent = `${p.rowsRead} rows read, ${p.addresses} address(es)`;
    } else {
      bar.max = Math.max(p.addresses, 1);
      bar.value = p.addressesDecided;
      words.textContent = `${p.addressesDecided} of ${p.addresses} addresses decided`;
    }
  }
}

function showPlan(container: HTMLElement, plan: Plan, incident: Status['incident']): void {
  const s = plan.summary;
  const next =
    plan.frozen
      ? `The campaign is ${plan.state ?? '?'}: its plan no longer changes.`
      : plan.state === 'AWAITING_APPROVAL'
        ? `${approvalNeedWords(s, plan.approvalThreshold).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ')} See Approval below.`
        : s.toApologise > 0
          ? 'Within the approval threshold: approved by the plan itself; Run sends it.'
          : 'Nobody to apologise to.';
  // The window's start when there is one; without a window no date is ours to name (the declaration's is not the notices'), and the apology says "recently".
  const sentAt = incident.windowStart;
  show(
    container,
    h('p', { class: 'ok' }, `${s.rows} row(s) in the incident; would apologise to ${s.toApologise} address(es). Nothing was sent. `, next),
    h('p', {}, `Plan ${plan.plannedAt}`),
    h(
      'div',
      { class: 'tables' },
      table('Wrong notices by reason', ['Reason', 'Notices'], countRows(s.wrongNotices)),
      table('Apologies by reason', ['Reason', 'Addresses'], countRows(s.toApologiseByReason)),
      table('Not written to, by why', ['Why', 'Addresses'], countRows(s.skipped)),
      s.alreadyApologisedIn ? table('Notices already apologised for, by incident', ['Incident', 'Notices'], countRows(s.alreadyApologisedIn)) : null,
    ),
    plan.sample.length > 0 ? table('Sample of the recipients (addresses masked)', ['Address', 'Reason', 'Language'], plan.sample.map((r) => [r.address, r.reason, r.locale])) : null,
    h('h3', { id: 'preview-heading' }, 'The apology, as it will be sent'),
    h('p', {}, `Rendered by the apology sender's own code with the deployed shop name and links, for a notice sent ${sentAt ? `on ${sentAt.slice(0, 10)}` : 'at a date not known here'} (each recipient's apology names the date of their own). The unsubscribe token is signed for each recipient when sent.`),
    h('div', { class: 'languages' }, LANGUAGES.map((language) => previewOf(language.locale, language.name, sentAt))),
  );
}

function previewOf(locale: 'en' | 'de', name: string, sentAt: string | undefined): HTMLElement {
  const head = h('div', {}, h('p', {}, 'Loading…'));
  const frame = h('iframe', {
    // No script, no form, no navigation of the console, no same-origin: the email's HTML can do nothing.
    sandbox: '',
    referrerpolicy: 'no-referrer',
    title: `The apology in ${name} as it will be sent`,
    src: `/preview?${new URLSearchParams({ locale, ...(sentAt ? { sentAt } : {}) })}`,
    class: 'preview',
  });
  const section = h('section', { class: 'language', 'aria-labelledby': `preview-${locale}` }, h('h4', { id: `preview-${locale}` }, `${name} (${locale})`), head, frame);
  void (async () => {
    try {
      const preview = await call('apology preview', { locale, ...(sentAt ? { noticeSentAt: sentAt } : {}) });
      show(
        head,
        h(
          'dl',
          { class: 'headers' },
          h('dt', {}, 'Subject'),
          h('dd', { class: 'subject' }, preview.subject),
          preview.headers.map((header) => [h('dt', {}, header.name), h('dd', { class: 'header' }, header.value)]),
        ),
        preview.linkGuardFindings.length > 0 ? h('p', { role: 'alert', class: 'error' }, `The link guard refuses: ${preview.linkGuardFindings.join(', ')}`) : null,
      );
    } catch (error) {
      show(head, errorBox(error));
    }
  })();
  return section;
}

function showApproval(section: HTMLElement, status: Status, plannedAt: () => string | undefined, refresh: () => Promise<void>): void {
  const you = document.getElementById('session')?.textContent?.replace(/^.* · you are /, '') ?? '';
  const outcome = h('div', { id: 'approval-outcome' });
  const button = h('button', { type: 'button', id: 'approve' }, 'Approve this plan');
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      try {
        const plan = plannedAt();
        const result = await call('campaign approve', { incidentId: status.incident.incidentId, ...(plan ? { plan } : {}) });
        show(
          outcome,
          result.outcome === 'ALREADY_APPROVED'
            ? h('p', { role: 'status', class: 'ok' }, 'The campaign needs no approval (approved already, or within the threshold).')
            : h('p', { role: 'status', class: 'ok' }, `Approved: ${result.approval.approvedSize} apologies, by ${result.approval.approvedBy} at ${result.approval.approvedAt}.`),
        );
        await refresh();
      } catch (error) {
        show(outcome, errorBox(error));
      } finally {
        button.disabled = false;
      }
    })();
  });
  show(
    section,
    h('h2', { id: 'approval-heading' }, 'Approval'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Declared by'),
      h('dd', {}, status.incident.declaredBy ?? '— (no recorded declarer)'),
      h('dt', {}, 'You are'),
      h('dd', {}, you),
      h('dt', {}, 'Plan'),
      h('dd', {}, plannedAt() ?? 'none yet: run the dry run'),
    ),
    h('p', {}, 'A campaign above the approval threshold needs a second person: the endpoint refuses its declarer, and says so here.'),
    button,
    outcome,
  );
}

function showRun(section: HTMLElement, incidentId: string, stopped: () => boolean, onStatus: (status: Status) => void): void {
  const chart = new RateChart();
  const facts = h('div', { id: 'run-facts' });
  const outcome = statusRegion('run-status');
  const button = h('button', { type: 'button', id: 'run' }, 'Start sending');
  show(
    section,
    h('h2', { id: 'run-heading' }, 'Run'),
    h('p', {}, 'Puts the approved apologies on the apology queue; the apology sender sends them, never faster than the allowed rate.'),
    sendingControl(),
    button,
    outcome,
    h('figure', {}, chart.element, h('figcaption', {}, 'Apologies settled per second (line) against the allowed rate (dashed).')),
    facts,
  );
  chart.draw([], 0);
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      const points: RatePoint[] = [];
      const startedAt = performance.now();
      let last: { at: number; settled: number } | undefined;
      let enqueueing = true;
      let enqueueFailed = false;
      let paused = false;
      const read = async (): Promise<Status> => {
        const status = await call('campaign status', { incidentId });
        const p = status.progress;
        const now = performance.now();
        if (p) {
          if (last) points.push({ t: Math.round((now - startedAt) / 100) / 10, rate: ((p.settled - last.settled) * 1000) / Math.max(now - last.at, 1) });
          last = { at: now, settled: p.settled };
          chart.draw(points, p.allowedRate);
          showRunFacts(facts, p, enqueueing, paused);
        }
        onStatus(status);
        return status;
      };
      try {
        // Enqueue (request after request, as the CLI does) while the chart reads the counters.
        const enqueue = (async () => {
          for (;;) {
            const report = await retryFailed(() => call('campaign run', { incidentId, maxSeconds: SECONDS_PER_REQUEST }), outcome);
            paused = report.sendingPaused;
            if (report.state !== 'APPROVED' || report.enqueue?.done || stopped()) return report;
            if (report.leaseHeld) {
              outcome.textContent = `Another audit run holds the lease until ${report.leaseUntil ?? '?'}: waiting.`;
              await sleep(Math.min(Math.max(Date.parse(report.leaseUntil ?? '') - Date.now() + 500, 1_000), 30_000) || 5_000);
            }
          }
        })();
        // A refused or failed enqueue ends the watch (and is shown below), not an endless one.
        enqueue.then(
          () => {
            enqueueing = false;
          },
          () => {
            enqueueing = false;
            enqueueFailed = true;
          },
        );
        outcome.textContent = 'Sending…';
        for (;;) {
          const status = await retryFailed(read, outcome);
          if (status.progress?.state === 'COMPLETE' || enqueueFailed || stopped()) break;
          if (!enqueueing && status.progress?.state !== 'APPROVED') break;
          await sleep(READ_EVERY_MS);
        }
        const report = await enqueue;
        const final = await retryFailed(read, outcome);
        const p = final.progress;
        outcome.textContent =
          p?.state === 'COMPLETE'
            ? `Run complete: ${p.settled} of ${p.toApologise} settled.${(p.claims.UNCERTAIN ?? 0) > 0 ? ` ${p.claims.UNCERTAIN} UNCERTAIN: see Sends in doubt.` : ''}`
            : `The campaign is ${p?.state ?? report.state}: ${report.state === 'AWAITING_APPROVAL' ? 'it waits for approval.' : 'nothing more to send now.'}`;
      } catch (error) {
        show(outcome, errorBox(error));
      } finally {
        button.disabled = false;
      }
    })();
  });
}

/** Consecutive failures (5xx, the endpoint unreachable) a run's request is tried again after, one second apart. */
const TRIES_AFTER_FAILURE = 5;

/**
 * A run's request, tried again when the endpoint failed (a 5xx: an emulator or AWS slow to
 * answer) rather than refused it (a 4xx, shown at once): `campaign run` pages and `campaign
 * status` readings are safe to repeat, and one failed reading should not end the watch.
 */
async function retryFailed<T>(request: () => Promise<T>, note: HTMLElement): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof Refused) || error.status < 500 || attempt > TRIES_AFTER_FAILURE) throw error;
      note.textContent = `The endpoint failed on a request (${error.message}); trying again (${attempt} of ${TRIES_AFTER_FAILURE}).`;
      await sleep(1_000);
    }
  }
}

/**
 * Pause and resume (`sending pause|resume`): the kill switch every sender reads. While it is on,
 * notices and apologies stay on their queues; the endpoint records who flipped it, and when.
 */
function sendingControl(): HTMLElement {
  const state = h('p', { id: 'sending-state' }, 'Reading the kill switch…');
  const reason = h('input', { id: 'sending-reason', name: 'reason', type: 'text', autocomplete: 'off' });
  const button = h('button', { type: 'button', id: 'sending-flip', disabled: true }, 'Pause sending');
  const outcome = h('div', { id: 'sending-outcome' });
  let paused = false;
  const showStatus = (status: OperatorResult<'sending status'>): void => {
    paused = status.paused;
    const last = status.changes[0];
    state.textContent = `${status.paused ? 'Sending is PAUSED: every notice and apology waits on its queue.' : 'Sending is on.'}${last ? ` Last ${last.action === 'PAUSE' ? 'paused' : 'resumed'} by ${last.by} at ${last.at}${last.reason ? ` (${last.reason})` : ''}.` : ''}`;
    button.textContent = status.paused ? 'Resume sending' : 'Pause sending';
    button.disabled = false;
  };
  const refresh = async (): Promise<void> => {
    try {
      showStatus(await call('sending status', {}));
    } catch (error) {
      show(outcome, errorBox(error));
    }
  };
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      const why = reason.value.trim();
      try {
        const flip = await call(paused ? 'sending resume' : 'sending pause', why === '' ? {} : { reason: why });
        show(outcome, h('p', { role: 'status', class: 'ok' }, `${flip.paused ? 'Paused' : 'Resumed'} by ${flip.change.by} at ${flip.change.at}. Senders see it within 10 s.`));
        reason.value = '';
      } catch (error) {
        show(outcome, errorBox(error));
      }
      await refresh();
    })();
  });
  void refresh();
  return h(
    'div',
    { class: 'sending', role: 'group', 'aria-labelledby': 'sending-heading' },
    h('h3', { id: 'sending-heading' }, 'Pause and resume (the kill switch)'),
    state,
    field('Why (optional, recorded)', reason, 'Pausing holds every email, notices too, not only this campaign.'),
    button,
    outcome,
  );
}

function showRunFacts(container: HTMLElement, p: NonNullable<Status['progress']>, enqueueing: boolean, paused: boolean): void {
  show(
    container,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Settled'),
      h('dd', { id: 'settled' }, `${p.settled} of ${p.toApologise}`),
      h('dt', {}, 'Enqueued'),
      h('dd', {}, `${p.enqueue?.enqueued ?? 0}${p.enqueue?.done ? ' (all)' : enqueueing ? ' (enqueueing)' : ''}`),
      h('dt', {}, 'Allowed rate'),
      h('dd', {}, `${p.allowedRate}/s`),
      h('dt', {}, 'ETA'),
      h('dd', {}, p.state === 'COMPLETE' ? 'done' : formatDuration(p.etaSeconds)),
      h('dt', {}, 'Kill switch'),
      h('dd', {}, paused ? 'ON: the sender puts every apology back until it is off' : 'off'),
    ),
    table('Outcomes so far', ['Outcome', 'Apologies'], countRows(p.claims)),
  );
}

