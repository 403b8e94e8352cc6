import { call } from '../api';
import { field, h, show } from '../dom';
import { errorBox, pageHeading } from '../ui';

/** Dead-lettered purchases or SES events back to their queue (`dlq redrive`), with a count. */
export async function deadLettersPage(main: HTMLElement): Promise<void> {
  const queue = h('select', { id: 'queue', name: 'queue' }, h('option', { value: 'purchases' }, 'Purchases (the notify function)'), h('option', { value: 'ses-events' }, 'SES events (the feedback function)'));
  const max = h('input', { id: 'max', name: 'max', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
  const outcome = h('div', {});
  const form = h(
    'form',
    { novalidate: true },
    field('Queue', queue),
    field('At most (max)', max, 'Optional: move at most this many, 1-100,000.'),
    h('button', { type: 'submit' }, 'Redrive'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      try {
        const args = { queue: queue.value as 'purchases', ...(max.value.trim() === '' ? {} : { max: Number(max.value) }) };
        const report = await call('dlq redrive', args);
        show(
          outcome,
          h('p', { role: 'status', class: 'ok' }, `Moved ${report.moved} ${report.queue === 'purchases' ? 'purchase message(s)' : 'SES event(s)'} back from the DLQ${report.stoppedAtMax ? ' (stopped at max: more may be left)' : ''}.`),
        );
      } catch (error) {
        show(outcome, errorBox(error));
      }
    })();
  });
  show(main, pageHeading('Dead letters'), h('p', {}, 'Fix what made them fail first: they are tried again, and come back after 5 receives if nothing changed.'), form, outcome);
}
