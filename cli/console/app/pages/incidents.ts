import { call } from '../api';
import { h, show, table } from '../dom';
import { errorBox, pageHeading } from '../ui';

/** Every incident: state, window, source, declarer, plan and send progress; each links to its page. */
export async function incidentsPage(main: HTMLElement): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  show(main, pageHeading('Incidents'), h('p', {}, h('a', { href: '#/declare' }, 'Declare an incident')), body);
  try {
    const listings = await call('incident list', {});
    if (listings.length === 0) {
      show(body, h('p', {}, 'No incidents declared.'));
      return;
    }
    show(
      body,
      table(
        'Declared incidents, newest last',
        ['Incident', 'What happened', 'Window', 'Source', 'Declared by', 'Audited', 'Campaign'],
        listings.map(({ incident: i, campaign }) => [
          h('a', { href: `#/incident/${encodeURIComponent(i.incidentId)}` }, i.incidentId),
          i.description,
          i.windowStart && i.windowEnd ? `${i.windowStart} to ${i.windowEnd}` : '—',
          i.source ?? '—',
          i.declaredBy ?? '—',
          i.sweep.done ? 'yes' : 'in progress',
          campaign ? `${campaign.state} (${campaign.summary.toApologise} to apologise)` : 'not planned',
        ]),
      ),
    );
  } catch (error) {
    show(body, errorBox(error));
  }
}
