import { call } from '../api';
import { field, h, show } from '../dom';
import { errorBox, pageHeading } from '../ui';

/**
 * Declares an incident with the CLI's fields (`incident declare`): the endpoint checks them and
 * its message, the one the CLI prints, is shown as it comes.
 */
export async function declarePage(main: HTMLElement): Promise<void> {
  const input = (id: string, extra: Record<string, string | boolean> = {}) => h('input', { id, name: id, type: 'text', autocomplete: 'off', ...extra });
  const description = input('description', { required: true, 'aria-required': 'true' });
  const from = input('from', { placeholder: '2025-03-01T00:00:00Z' });
  const to = input('to', { placeholder: '2025-03-02T00:00:00Z' });
  const source = input('source', { placeholder: 'legacy-crm' });
  const id = input('id', { placeholder: 'inc-legacy' });
  const outcome = h('div', { id: 'declare-outcome' });
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'declare-heading' },
    field('What happened (description)', description, '1-500 characters.'),
    field('Window start (from)', from, 'ISO 8601; with the window end, or neither.'),
    field('Window end (to)', to, 'ISO 8601, exclusive.'),
    field('Source', source, 'The sending system: an imported source, or registry-notices.'),
    field('Incident id', id, 'Default inc-<date>-<random>; 3-64 characters of a-z 0-9 -.'),
    h('button', { type: 'submit' }, 'Declare the incident'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      // What the CLI sends: the description always, the other fields when given.
      const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
      const args = {
        description: description.value,
        ...(optional(from.value) ? { from: optional(from.value)! } : {}),
        ...(optional(to.value) ? { to: optional(to.value)! } : {}),
        ...(optional(source.value) ? { source: optional(source.value)! } : {}),
        ...(optional(id.value) ? { id: optional(id.value)! } : {}),
      };
      try {
        const incident = await call('incident declare', args);
        show(
          outcome,
          h('div', { role: 'status', class: 'ok' }, `Declared incident ${incident.incidentId}, by ${incident.declaredBy ?? '?'}. `, h('a', { href: `#/incident/${encodeURIComponent(incident.incidentId)}` }, 'Go to its dry run')),
        );
      } catch (error) {
        show(outcome, errorBox(error));
      }
    })();
  });
  const heading = pageHeading('Declare an incident');
  heading.id = 'declare-heading';
  show(main, heading, h('p', {}, 'You are recorded as the declarer: above the approval threshold, someone else must approve its campaign.'), form, outcome);
}
